using FluentAssertions;
using Governance.DecisionRights;
using Governance.Registry;
using Governance.Roles;
using Npgsql;

namespace Governance.Tests.Rules;

public sealed class SequenceWatermarkTests
{
    private readonly SequenceWatermark _watermark = new();

    [Fact]
    public void Contiguous_sequences_move_it_forward_in_any_order_of_reading()
    {
        _watermark.Read(2);
        _watermark.Read(1);
        _watermark.Read(3);

        _watermark.Advance(settled: 0).Should().BeEmpty();
        _watermark.Value.Should().Be(3);
        _watermark.HasGap.Should().BeFalse();
    }

    [Fact]
    public void An_unsettled_gap_holds_it_back_however_long_so_a_late_commit_is_still_read()
    {
        _watermark.Read(1);
        _watermark.Read(3);

        _watermark.Advance(settled: 1).Should().BeEmpty();
        _watermark.Value.Should().Be(1);
        _watermark.HasGap.Should().BeTrue();

        _watermark.Read(2);
        _watermark.Advance(settled: 1);
        _watermark.Value.Should().Be(3);
        _watermark.Skipped.Should().Be(0);
    }

    [Fact]
    public void A_settled_gap_that_was_not_read_is_moved_over_as_rolled_back()
    {
        _watermark.Read(1);
        _watermark.Read(5);
        _watermark.Read(6);

        _watermark.Advance(settled: 6).Should().Equal((2L, 4L));
        _watermark.Value.Should().Be(6);
        _watermark.Skipped.Should().Be(3);
    }

    [Fact]
    public void A_gap_settled_only_in_part_is_moved_over_up_to_the_settled_sequence()
    {
        _watermark.Read(1);
        _watermark.Read(6);

        _watermark.Advance(settled: 3).Should().Equal((2L, 3L));
        _watermark.Value.Should().Be(3);
        _watermark.HasGap.Should().BeTrue();
    }

    [Fact]
    public void Settled_sequences_after_the_last_event_read_are_moved_over_too()
    {
        _watermark.Read(1);

        _watermark.Advance(settled: 4).Should().Equal((2L, 4L));
        _watermark.Value.Should().Be(4);
    }

    [Fact]
    public void Sequences_at_or_below_it_are_ignored()
    {
        _watermark.Read(1);
        _watermark.Advance(settled: 0);
        _watermark.Read(1);

        _watermark.Advance(settled: 0).Should().BeEmpty();
        _watermark.Value.Should().Be(1);
        _watermark.HasGap.Should().BeFalse();
    }
}

public sealed class TextIndexTests
{
    private readonly Lexicon _lexicon = new(NpgsqlDataSource.Create("Host=not-used"));
    private readonly TextIndex _index = new();
    private readonly Guid _org = Guid.NewGuid();

    public TextIndexTests()
    {
        foreach (var word in new[] { "customer", "service", "refunds", "refund", "complaints", "finance", "payroll", "agent", "clerk", "desk", "wages", "other", "salaries" })
        {
            _lexicon.Remember(word, word.TrimEnd('s'));
        }
        _lexicon.Remember("the");
    }

    private Role Index(string name, string purpose, params (string Key, string Title)[] domains)
    {
        var role = new Role
        {
            Id = Guid.NewGuid(),
            OrgId = _org,
            Name = name,
            Purpose = purpose,
            Domains = [.. domains.Select(d => new HeldDomain(d.Key, d.Title, []))],
        };
        _index.Replace(role.Id, role, _lexicon);
        return role;
    }

    private IReadOnlyList<TextMatch> Search(params string[] words) =>
        _index.Search(_org, words.SelectMany(_lexicon.Of).ToHashSet(), 10);

    [Fact]
    public void Domain_words_outweigh_the_role_name_which_outweighs_its_purpose()
    {
        Index("Agent", "Payroll", ("finance/other", "Other"));
        Index("Payroll Clerk", "", ("finance/wages", "Wages"));
        Index("Desk", "", ("finance/payroll", "Payroll"));

        Search("payroll").Select(m => m.Key).Should().Equal("finance/payroll", "finance/wages", "finance/other");
    }

    [Fact]
    public void A_rare_word_counts_more_than_a_common_one()
    {
        Index("Complaints", "", ("customer-service/complaints", "Customer complaints"));
        Index("Desk", "", ("customer-service/desk", "Customer desk"));
        Index("Refunds", "", ("finance/refunds", "Refunds"));

        var ranked = Search("customer", "refunds");

        ranked[0].Key.Should().Be("finance/refunds");
        ranked[0].Score.Should().BeGreaterThan(ranked[1].Score);
    }

    [Fact]
    public void A_changed_or_removed_role_is_found_by_its_new_words_only()
    {
        var role = Index("Payroll Clerk", "", ("finance/payroll", "Payroll"));

        _index.Replace(role.Id, role with { Domains = [new HeldDomain("finance/salaries", "Salaries", [])] }, _lexicon);
        Search("payroll").Select(m => m.Key).Should().Equal("finance/salaries");
        Search("salaries").Select(m => m.Key).Should().Equal("finance/salaries");

        _index.Replace(role.Id, null, _lexicon);
        Search("salaries").Should().BeEmpty();
    }

    [Fact]
    public void Stop_words_and_other_organisations_find_nothing()
    {
        Index("Payroll Clerk", "the payroll", ("finance/payroll", "Payroll"));

        Search("the").Should().BeEmpty();
        _index.Search(Guid.NewGuid(), new HashSet<string> { "payroll" }, 10).Should().BeEmpty();
    }

    [Fact]
    public void Only_the_best_few_are_kept_best_first_then_by_key()
    {
        for (var i = 0; i < 30; i++) Index($"Clerk {i:00}", "", ($"finance/payroll-{i:00}", "Payroll"));

        var ranked = _index.Search(_org, new HashSet<string> { "payroll" }, 5);

        ranked.Select(m => m.Key).Should().Equal("finance/payroll-00", "finance/payroll-01", "finance/payroll-02", "finance/payroll-03", "finance/payroll-04");
    }
}

public sealed class TextIndexPruningTests
{
    [Fact]
    public void Pruned_search_ranks_exactly_like_scoring_every_document()
    {
        var random = new Random(7);
        var lexicon = new Lexicon(NpgsqlDataSource.Create("Host=not-used"));
        // A Zipf-like vocabulary: a few words everywhere, many rare ones.
        var vocabulary = Enumerable.Range(0, 60).Select(i => $"w{i}").ToArray();
        foreach (var word in vocabulary.Append("team")) lexicon.Remember(word, word);
        string Pick() => vocabulary[(int)Math.Floor(Math.Pow(random.NextDouble(), 2.5) * vocabulary.Length)];

        var index = new TextIndex();
        var org = Guid.NewGuid();
        var roles = new List<Role>();
        for (var r = 0; r < 300; r++)
        {
            var role = new Role
            {
                Id = Guid.NewGuid(),
                OrgId = org,
                Name = Pick(),
                Purpose = $"{Pick()} team",
                Accountabilities = [Pick()],
                Domains = [new HeldDomain($"k{r}/a", $"{Pick()} {Pick()}", [Pick()]), new HeldDomain($"k{r}/b", Pick(), [])],
            };
            index.Replace(role.Id, role, lexicon);
            roles.Add(role);
        }

        var documents = roles.SelectMany(role => role.Domains.Select(d => (d.Key, Weights: WeightsOf(role, d)))).ToList();
        for (var q = 0; q < 200; q++)
        {
            var query = Enumerable.Range(0, random.Next(1, 5)).Select(_ => random.Next(4) == 0 ? "team" : Pick()).ToHashSet();
            var expected = documents
                .Select(d => (d.Key, Score: query.Sum(t => d.Weights.TryGetValue(t, out var w)
                    ? w * Math.Log(1 + (double)documents.Count / documents.Count(o => o.Weights.ContainsKey(t))) : 0)))
                .Where(d => d.Score > 0)
                .OrderByDescending(d => d.Score).ThenBy(d => d.Key, StringComparer.Ordinal).Take(10).ToList();

            var found = index.Search(org, query, 10);

            found.Select(m => m.Key).Should().Equal(expected.Select(e => e.Key), $"query {string.Join(' ', query)}");
            found.Select(m => m.Score).Should().Equal(expected.Select(e => e.Score), (a, b) => Math.Abs(a - b) < 1e-9);
        }
    }

    private static Dictionary<string, float> WeightsOf(Role role, HeldDomain domain)
    {
        var weights = new Dictionary<string, float>();
        void Weigh(float weight, IEnumerable<string> texts)
        {
            foreach (var word in texts.SelectMany(FreeText.Words)) weights[word] = Math.Max(weights.GetValueOrDefault(word), weight);
        }
        Weigh(TextIndex.NameWeight, [role.Name]);
        Weigh(TextIndex.PurposeWeight, [role.Purpose, .. role.Accountabilities]);
        Weigh(TextIndex.DomainWeight, [domain.Key, domain.Title, .. domain.Keywords]);
        return weights;
    }
}

public sealed class KeyOrderTests
{
    [Fact]
    public void Key_orders_sort_domain_keys_as_ordinal_comparison_does_over_their_first_ten_characters()
    {
        var random = new Random(3);
        const string alphabet = "abz09-/";
        var keys = Enumerable.Range(0, 2000)
            .Select(_ => "k" + new string([.. Enumerable.Range(0, random.Next(0, 14)).Select(_ => alphabet[random.Next(alphabet.Length)])]))
            .Append("k").Append("customer-service/refunds").Append("customer-service/refunds/eu").ToList();

        foreach (var (a, b) in keys.Zip(keys.Skip(1).Append(keys[0])))
        {
            var byOrder = TextIndex.KeyOrder(a).CompareTo(TextIndex.KeyOrder(b));
            var byStart = string.CompareOrdinal(a[..Math.Min(10, a.Length)], b[..Math.Min(10, b.Length)]);
            Math.Sign(byOrder).Should().Be(Math.Sign(byStart), $"'{a}' against '{b}'");
        }
    }
}
