using Governance.Infrastructure;
using Governance.Roles;

namespace Governance.GovernanceChanges;

public static partial class GovernanceRules
{
    /// <summary>Defining roles: create, rename or re-purpose, accountabilities, conversion into a circle.</summary>
    private sealed partial class Batch
    {
        public Problem? Create(CreateRole c)
        {
            if (CheckName(c.Name) is { } bad) return bad;
            if (CheckText(c.Purpose, "purpose", required: false) is { } badPurpose) return badPurpose;
            var externalId = string.IsNullOrWhiteSpace(c.ExternalId) ? null : c.ExternalId.Trim();
            if (externalId?.Length > MaxNameLength)
            {
                return Problem.BadRequest("invalid-external-id", $"An external id takes at most {MaxNameLength} characters.");
            }

            var roleId = newId();
            Guid? leadId = c.IsCircle ? newId() : null;
            Emit(roleId, new RoleCreated(roleId, Circle.OrgId, CircleId, c.Name.Trim(), c.Purpose?.Trim() ?? "", c.IsCircle, false, leadId, ExternalId: externalId), starts: true);
            if (leadId is { } lead) EmitCircleLeadRole(lead, roleId);
            foreach (var text in c.Accountabilities ?? [])
            {
                if (AddAccountability(new AddAccountability(roleId, text), report: false) is { } problem) return problem;
            }
            foreach (var domain in c.Domains ?? [])
            {
                if (AddDomain(new AddDomain(roleId, domain), report: false) is { } problem) return problem;
            }
            Results.Add(new ChangeResult("createRole", roleId));
            return null;
        }

        public Problem? Update(UpdateRole c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (c.Name is null && c.Purpose is null)
            {
                return Problem.BadRequest("invalid-change", "updateRole needs a 'name' or a 'purpose'.");
            }
            if (c.Name is not null && CheckName(c.Name) is { } bad) return bad;
            if (CheckText(c.Purpose, "purpose", required: false) is { } badPurpose) return badPurpose;
            var (name, purpose) = (c.Name?.Trim(), c.Purpose?.Trim());
            if (role.ElectedRole is not null && purpose is not null && purpose != role.Purpose)
            {
                return Problem.Violation("elected-role-protected", "An elected core role's purpose cannot change.",
                    $"{role.Name} is a core role defined by the constitution; add accountabilities instead.", ElectedRoles.Section(role.ElectedRole));
            }
            if (role.IsCircleLead && purpose is not null && purpose != role.Purpose)
            {
                return Problem.Violation("circle-lead-role-protected", "The Circle Lead role's purpose cannot change.",
                    "The Circle Lead role holds the purpose of the overall circle; amend the circle's purpose in its super-circle instead.",
                    "§1.4.5");
            }
            if (name is not null && name != role.Name) Emit(role.Id, new RoleRenamed(role.Id, name));
            if (purpose is not null && purpose != role.Purpose) Emit(role.Id, new RolePurposeChanged(role.Id, purpose));
            Results.Add(new ChangeResult("updateRole", role.Id));
            return null;
        }

        public Problem? AddAccountability(AddAccountability c, bool report = true)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (CheckText(c.Text, "accountability", required: true) is { } bad) return bad;
            var text = c.Text.Trim();
            if (role.Accountabilities.Contains(text))
            {
                return Problem.Violation("duplicate-accountability", "The role already has this accountability.",
                    $"Role '{role.Name}' already has the accountability '{text}'.");
            }
            Emit(role.Id, new AccountabilityAdded(role.Id, text));
            if (report) Results.Add(new ChangeResult("addAccountability", role.Id));
            return null;
        }

        public Problem? RemoveAccountability(RemoveAccountability c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            var text = c.Text?.Trim() ?? "";
            if (!role.Accountabilities.Contains(text))
            {
                return Problem.Violation("unknown-accountability", "The role has no such accountability.",
                    $"Role '{role.Name}' has no accountability '{text}'.");
            }
            // A circle may add to an elected role's accountabilities, not take away those the constitution places on it.
            if (ElectedRoles.IsPlacedByConstitution(role, text))
            {
                return Problem.Violation("elected-role-protected", "The constitution places this accountability on the role.",
                    $"'{text}' is an accountability of every {role.Name} by the constitution; a circle adds to it, never removes it.", ElectedRoles.Section(role.ElectedRole));
            }
            Emit(role.Id, new AccountabilityRemoved(role.Id, text));
            Results.Add(new ChangeResult("removeAccountability", role.Id));
            return null;
        }

        public Problem? Convert(ConvertToCircle c)
        {
            if (Find(c.RoleId, out var role) is { } missing) return missing;
            if (role.IsCircle)
            {
                return Problem.Violation("already-a-circle", "The role is a circle already.", $"Role '{role.Name}' is already a circle.", "§1.3.1");
            }
            if (role.IsCircleLead || role.ElectedRole is not null)
            {
                return Problem.Violation("circle-lead-role-protected", "A core role cannot become a circle.",
                    $"'{role.Name}' is a core role of the circle.", role.IsCircleLead ? "§1.4.5" : "§1.3.1");
            }
            var leadId = newId();
            Emit(role.Id, new RoleConvertedToCircle(role.Id, leadId));
            EmitCircleLeadRole(leadId, role.Id);
            Results.Add(new ChangeResult("convertToCircle", role.Id));
            return null;
        }
    }
}
