using FluentAssertions;
using Governance.GovernanceChanges;

namespace Governance.Tests.Rules;

public sealed class GovernanceLogTests
{
    [Fact]
    public void A_circles_governance_log_id_is_stable_distinct_and_never_the_circles_own_id()
    {
        var circle = Guid.NewGuid();

        GovernanceLog.StreamIdOf(circle).Should().Be(GovernanceLog.StreamIdOf(circle));
        GovernanceLog.StreamIdOf(circle).Should().NotBe(circle);
        GovernanceLog.StreamIdOf(circle).Should().NotBe(GovernanceLog.StreamIdOf(Guid.NewGuid()));
    }
}
