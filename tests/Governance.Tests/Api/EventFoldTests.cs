using FluentAssertions;
using Governance.Proposals;
using Governance.Registry;
using Governance.Roles;
using Governance.Tests.Support;
using JasperFx.Events;

namespace Governance.Tests.Api;

/// <summary>Every event the store knows is folded somewhere: no read model can silently skip a new event type.</summary>
[Collection(ApiCollection.Name)]
public sealed class EventFoldTests(GovernanceApp app)
{
    [Fact]
    public void Every_registered_event_type_has_a_fold()
    {
        var types = app.RegisteredEventTypes();
        types.Should().HaveCountGreaterThan(20);

        foreach (var type in types)
        {
            var sample = SchemaTests.Samples.First(s => s.GetType() == type);
            Unfolded(sample).Should().BeNull($"{type.Name} must be folded by the registry (and by its own model)");
        }
    }

    [Fact]
    public void An_event_type_without_a_fold_is_refused_not_skipped()
    {
        Unfolded(new NotAnEvent()).Should().BeOfType<UnfoldedEventException>();
        Unfolded(new UnknownRoleEvent()).Should().BeOfType<UnfoldedEventException>();
    }

    private sealed record NotAnEvent;

    private sealed record UnknownRoleEvent : IRoleEvent;

    /// <summary>Folds a realistic event (SchemaTests' sample of its type) where it belongs, after its stream opens: the refusal, if any.</summary>
    private static UnfoldedEventException? Unfolded(object sample)
    {
        var (org, stream) = (Guid.NewGuid(), Guid.NewGuid());
        var registry = new OrganisationRegistry(org);
        try
        {
            registry.Apply(Event(stream, 1, new RoleCreated(stream, org, Guid.NewGuid(), "Role", "", false, false, null)));
            registry.Apply(Event(stream, 2, sample));
            if (sample is IProposalEvent proposalEvent) Proposal.Fold(new Proposal { Id = stream }, proposalEvent);
            return null;
        }
        catch (UnfoldedEventException refused)
        {
            return refused;
        }
    }

    private static IEvent Event(Guid stream, long sequence, object data)
    {
        var e = (IEvent)Activator.CreateInstance(typeof(Event<>).MakeGenericType(data.GetType()), data)!;
        (e.StreamId, e.Sequence, e.Version) = (stream, sequence, sequence);
        return e;
    }
}
