using FluentAssertions;
using Governance.DecisionRights;

namespace Governance.Tests.Rules;

public sealed class FreeTextRulesTests
{
    private static readonly Guid RoleA = Guid.NewGuid();
    private static readonly Guid RoleB = Guid.NewGuid();

    [Fact]
    public void A_clear_best_match_wins()
    {
        var verdict = FreeText.Choose([new("b", "B", RoleB, "Rb", 0.5), new("a", "A", RoleA, "Ra", 1.0)]);

        verdict.Ambiguous.Should().BeFalse();
        verdict.Winner!.Key.Should().Be("a");
        verdict.Candidates.Select(c => c.Key).Should().Equal("a", "b");
    }

    [Fact]
    public void Another_role_within_the_margin_makes_it_ambiguous_but_the_same_role_twice_does_not()
    {
        FreeText.Choose([new("a", "A", RoleA, "Ra", 1.0), new("b", "B", RoleB, "Rb", 0.95)]).Ambiguous.Should().BeTrue();
        FreeText.Choose([new("a", "A", RoleA, "Ra", 1.0), new("a/x", "X", RoleA, "Ra", 0.99)]).Winner!.Key.Should().Be("a");
    }

    [Fact]
    public void No_match_has_no_winner() => FreeText.Choose([]).Winner.Should().BeNull();

    [Theory]
    [InlineData("refund over 500 EUR", 500, "EUR")]
    [InlineData("a €20 voucher", 20, "EUR")]
    [InlineData("$9.99 app", 9.99, "USD")]
    [InlineData("pay 1200,50 gbp", 1200.50, "GBP")]
    public void Amounts_written_in_a_question_are_read(string text, decimal amount, string currency) =>
        FreeText.AmountIn(text).Should().Be((amount, currency));

    [Fact]
    public void A_question_without_money_has_no_amount() => FreeText.AmountIn("who orders chairs").Should().BeNull();

    [Theory]
    [InlineData("Refund over 500 EUR? Refund!", "refund over 500 eur")]
    [InlineData("l'été & <script>", "l été script")]
    [InlineData("customer-service/refunds", "customer service refunds")]
    [InlineData(" -- ; ", "")]
    public void A_text_becomes_its_distinct_words_with_nothing_to_escape(string text, string words) =>
        string.Join(' ', FreeText.Words(text)).Should().Be(words);
}
