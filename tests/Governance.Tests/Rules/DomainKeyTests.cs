using FluentAssertions;
using Governance.Roles;

namespace Governance.Tests.Rules;

public sealed class DomainKeyTests
{
    [Theory]
    [InlineData("refunds", true)]
    [InlineData("customer-service/refunds/eu", true)]
    [InlineData("a1/b-2", true)]
    [InlineData("", false)]
    [InlineData("Refunds", false)]
    [InlineData("refunds/", false)]
    [InlineData("/refunds", false)]
    [InlineData("a//b", false)]
    [InlineData("-a", false)]
    [InlineData("a b", false)]
    [InlineData(null, false)]
    public void Keys_are_lowercase_segments_joined_by_slashes(string? key, bool valid) =>
        DomainKey.IsValid(key).Should().Be(valid);

    [Fact]
    public void A_key_longer_than_the_limit_is_invalid() =>
        DomainKey.IsValid(new string('a', DomainKey.MaxLength + 1)).Should().BeFalse();

    [Theory]
    [InlineData("cs/refunds", "cs", true)]
    [InlineData("cs", "cs", true)]
    [InlineData("cs-eu", "cs", false)]
    [InlineData("cs", "cs/refunds", false)]
    public void A_key_lies_within_itself_and_its_ancestors_only(string key, string ancestor, bool within) =>
        DomainKey.IsWithin(key, ancestor).Should().Be(within);

    [Fact]
    public void Self_and_ancestors_go_from_most_to_least_specific() =>
        DomainKey.SelfAndAncestors("a/b/c").Should().Equal("a/b/c", "a/b", "a");
}
