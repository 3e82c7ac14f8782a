using Governance.DecisionRights;
using Governance.People;
using Governance.Registry;
using Microsoft.AspNetCore.Mvc;

namespace Governance.Web.Pages.Orgs;

/// <summary>A person: the roles they fill and everything they decide, now or as of an instant.</summary>
public sealed class PersonModel(LiveRegistry registry) : OrgPageModel(registry)
{
    [FromRoute(Name = "personId")]
    public Guid PersonId { get; set; }

    public PersonResponse? Person { get; private set; }

    public PersonDecisionsResponse? Decisions { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!await BeginAsync(ct)) return;
        Person = Take(await JoiningPeople.Get(OrgId, PersonId, AsOf, Registry, ct));
        if (Person is null) return;
        Decisions = Take(await Registry.ReadAsync(OrgId, Instant, snapshot => PersonDecisions.DecisionsIn(snapshot, PersonId), ct));
    }
}
