using Governance.Assignments;
using Governance.Elections;
using Governance.People;
using Governance.Roles;

namespace Governance.Import;

public sealed partial class ImportRun
{
    /// <summary>People by e-mail (case-insensitive): new ones join, a changed name is renamed. Returns the person of each source id.</summary>
    public async Task<Dictionary<string, Guid>> PeopleAsync(IReadOnlyList<SourcePerson> people, CancellationToken ct)
    {
        var ids = new Dictionary<string, Guid>();
        var streams = new List<(Guid, bool, IReadOnlyList<object>)>();
        var byEmail = Now.People.Values.ToDictionary(p => p.NormalizedEmail);
        foreach (var source in people)
        {
            var item = $"person '{source.Name}' <{source.Email}>";
            var (name, badName) = PersonDetails.Name(source.Name);
            var (email, badEmail) = PersonDetails.Email(source.Email);
            if ((badName ?? badEmail) is { } bad)
            {
                tally.Skip(item, bad.Detail);
                continue;
            }
            if (byEmail.GetValueOrDefault(Person.Normalize(email)) is { } known)
            {
                ids[source.ExternalId] = known.Id;
                if (known.Name == name) continue;
                streams.Add((known.Id, false, [Record(known.Id, new PersonRenamed(known.Id, name))]));
                tally.Updated("people", source.Email);
                continue;
            }
            var personId = Guid.CreateVersion7();
            var joined = new PersonJoined(working.Id, personId, name, email);
            streams.Add((personId, true, [Record(personId, joined)]));
            byEmail[Person.Normalize(email)] = new Person(personId, working.Id, name, email, Person.Normalize(email));
            ids[source.ExternalId] = personId;
            tally.Created("people");
        }
        await writer.RecordAsync(streams, ct);
        return ids;
    }

    /// <summary>Assignments with their focus (§1.4.1), then elections for their term (§5.3.5), once the circles' members are known.</summary>
    public async Task AssignmentsAsync(IReadOnlyList<SourceAssignment> assignments, IReadOnlyDictionary<string, Guid> people, DateTimeOffset now, CancellationToken ct)
    {
        var byExternalId = Now.Roles.Values.Where(r => r.ExternalId is not null).GroupBy(r => r.ExternalId!).ToDictionary(g => g.Key, g => g.First());
        var streams = new Dictionary<Guid, List<object>>();
        foreach (var a in assignments.Where(a => a.Elected is null))
        {
            var item = $"assignment of {a.PersonExternalId} to {a.RoleExternalId}";
            if (!people.TryGetValue(a.PersonExternalId, out var personId) || !byExternalId.TryGetValue(a.RoleExternalId, out var role))
            {
                tally.Skip(item, people.ContainsKey(a.PersonExternalId) ? "its role was not imported" : "its person was not imported");
                continue;
            }
            var (focus, badFocus) = AssigningPeople.Focus(a.Focus);
            if ((badFocus ?? AssigningPeople.CannotBeAssigned(role)) is { } refused)
            {
                tally.Skip(item, refused.Rule is { } rule ? $"{rule}: {refused.Detail}" : refused.Detail);
                continue;
            }
            role = Now.Roles[role.Id];
            IRoleEvent? e = role.Fillers.FirstOrDefault(f => f.PersonId == personId) is not { } filler ? new PersonAssignedToRole(role.Id, personId, focus)
                : filler.Focus != focus ? new AssignmentFocusChanged(role.Id, personId, focus) : null;
            if (e is null) continue;
            (streams.TryGetValue(role.Id, out var list) ? list : streams[role.Id] = []).Add(Record(role.Id, e));
            if (e is PersonAssignedToRole) tally.Created("assignments");
            else tally.Updated("assignments", item);
        }
        await writer.RecordAsync([.. streams.Select(s => (s.Key, false, (IReadOnlyList<object>)s.Value))], ct);
        await ElectionsAsync(assignments.Where(a => a.Elected is not null), people, byExternalId, now, ct);
    }

    private async Task ElectionsAsync(IEnumerable<SourceAssignment> elections, IReadOnlyDictionary<string, Guid> people, Dictionary<string, Role> byExternalId, DateTimeOffset now, CancellationToken ct)
    {
        var streams = new List<(Guid, bool, IReadOnlyList<object>)>();
        var elected = new HashSet<Guid>();
        foreach (var a in elections)
        {
            var item = $"election of {a.PersonExternalId} as {a.Elected} of {a.RoleExternalId}";
            if (!people.TryGetValue(a.PersonExternalId, out var personId) || !byExternalId.TryGetValue(a.RoleExternalId, out var circle))
            {
                tally.Skip(item, people.ContainsKey(a.PersonExternalId) ? "its circle was not imported" : "its person was not imported");
                continue;
            }
            // Without a term end in the source the term is a year from the import.
            var termEnds = a.TermEnds ?? now.AddYears(1);
            if (termEnds <= now)
            {
                tally.Skip(item, $"the term ended on {termEnds:yyyy-MM-dd}: hold a new election (Holacracy 5.0 §5.3.5)");
                continue;
            }
            var snapshot = Now;
            if (ElectionRules.Check(GovernanceChanges.ApplyingGovernance.SnapshotOf(snapshot, snapshot.Roles[circle.Id]), a.Elected!, personId) is { } refused)
            {
                tally.Skip(item, refused.Rule is { } rule ? $"{rule}: {refused.Detail}" : refused.Detail);
                continue;
            }
            var roleId = ElectedRoles.RoleIdOf(circle.Id, a.Elected!);
            if (!elected.Add(roleId))
            {
                tally.Skip(item, $"the circle's {ElectedRoles.DisplayName(a.Elected!)} is already elected from this source: an election fills it with one person (Holacracy 5.0 §5.3.5)");
                continue;
            }
            var role = snapshot.Roles.GetValueOrDefault(roleId);
            if (role?.Fillers is [{ } holder] && holder.PersonId == personId && holder.TermEnds == termEnds) continue;
            var events = HoldingElections.Events(working.Id, circle.Id, a.Elected!, role, personId, termEnds).Select(e => Record(roleId, e)).ToList();
            streams.Add((roleId, role is null, events));
            if (role?.Fillers.Any(f => f.PersonId == personId) == true) tally.Updated("assignments", item);
            else tally.Created("assignments");
        }
        await writer.RecordAsync(streams, ct);
    }

    /// <summary>An event decided here, folded into the working copy at once.</summary>
    private object Record(Guid streamId, object e)
    {
        Fold(streamId, e);
        return e;
    }
}
