namespace Governance.Registry;

/// <summary>The index's data structures: postings per lexeme, and the scratch space a search scores in.</summary>
public sealed partial class TextIndex
{
    /// <summary>
    /// The documents containing one lexeme, in two lists: those where it is a domain word (weight
    /// 1.0) and the rest (role name or purpose), so a search can score the strong list first and
    /// often skip walking the weak one. Each list is in document order, so a search walks its
    /// score list forwards, the way caches like.
    /// </summary>
    private sealed class Postings
    {
        public readonly Sublist Domain = new();
        public readonly Sublist Other = new();

        public int Count => Domain.Count + Other.Count;

        public void Add(int document, float weight) => (weight >= DomainWeight ? Domain : Other).Add(document, weight);

        public void Remove(int document)
        {
            if (!Domain.Remove(document)) Other.Remove(document);
        }
    }

    /// <summary>Documents (in order) with the lexeme's weight in each, and the highest weight among them.</summary>
    private sealed class Sublist
    {
        public readonly List<int> Documents = [];
        public readonly List<float> Weights = [];
        private int _name;

        public int Count => Documents.Count;

        public float MaxWeight => Weights.Count > 0 && Weights[0] >= DomainWeight ? DomainWeight : _name > 0 ? NameWeight : PurposeWeight;

        public void Add(int document, float weight)
        {
            var at = Documents.Count > 0 && Documents[^1] > document ? ~Documents.BinarySearch(document) : Documents.Count;
            Documents.Insert(at, document);
            Weights.Insert(at, weight);
            if (weight is >= NameWeight and < DomainWeight) _name++;
        }

        public bool Remove(int document)
        {
            var at = Documents.BinarySearch(document);
            if (at < 0) return false;
            if (Weights[at] is >= NameWeight and < DomainWeight) _name--;
            Documents.RemoveAt(at);
            Weights.RemoveAt(at);
            return true;
        }
    }

    /// <summary>
    /// Documents found so far and their scores, in document order; one per thread, reused (a search
    /// runs on one thread without awaiting), so large questions do not allocate on every call.
    /// </summary>
    private sealed class Scratch
    {
        [ThreadStatic]
        private static Scratch? _current;

        private int[] _documents = new int[1024], _spareDocuments = new int[1024];
        private double[] _scores = new double[1024], _spareScores = new double[1024];

        public int Count { get; private set; }
        public ReadOnlySpan<int> Documents => _documents.AsSpan(0, Count);
        public ReadOnlySpan<double> Scores => _scores.AsSpan(0, Count);

        public static Scratch Get()
        {
            var scratch = _current ??= new Scratch();
            scratch.Count = 0;
            return scratch;
        }

        /// <summary>Adds a term's postings: one forward pass over both lists.</summary>
        public void Merge(ReadOnlySpan<int> documents, ReadOnlySpan<float> weights, double rarity)
        {
            var size = Count + documents.Length;
            if (_spareDocuments.Length < size) (_spareDocuments, _spareScores) = (new int[size * 2], new double[size * 2]);
            int a = 0, b = 0, n = 0;
            while (a < Count || b < documents.Length)
            {
                if (b == documents.Length || (a < Count && _documents[a] < documents[b]))
                {
                    (_spareDocuments[n], _spareScores[n]) = (_documents[a], _scores[a]);
                    a++;
                }
                else if (a == Count || documents[b] < _documents[a])
                {
                    (_spareDocuments[n], _spareScores[n]) = (documents[b], weights[b] * rarity);
                    b++;
                }
                else
                {
                    (_spareDocuments[n], _spareScores[n]) = (_documents[a], _scores[a] + weights[b] * rarity);
                    a++;
                    b++;
                }
                n++;
            }
            (_documents, _spareDocuments, _scores, _spareScores, Count) = (_spareDocuments, _documents, _spareScores, _scores, n);
        }

        /// <summary>Drops the documents scoring below this.</summary>
        public void KeepFrom(double least)
        {
            var n = 0;
            for (var i = 0; i < Count; i++)
            {
                if (_scores[i] < least) continue;
                (_documents[n], _scores[n]) = (_documents[i], _scores[i]);
                n++;
            }
            Count = n;
        }

        /// <summary>
        /// Adds a term's weights to the documents already found only: both lists are in document
        /// order, so each document is looked for forwards from the last one, galloping (steps of
        /// 1, 2, 4, …) and then halving, which costs the logarithm of the gap, not of the list.
        /// </summary>
        public void AddWhereFound(ReadOnlySpan<int> documents, ReadOnlySpan<float> weights, double rarity)
        {
            var from = 0;
            for (var i = 0; i < Count && from < documents.Length; i++)
            {
                var wanted = _documents[i];
                var step = 1;
                var to = from;
                while (to < documents.Length && documents[to] < wanted)
                {
                    from = to + 1;
                    to += step;
                    step *= 2;
                }
                var at = documents[from..Math.Min(to + 1, documents.Length)].BinarySearch(wanted);
                if (at >= 0)
                {
                    _scores[i] += weights[from + at] * rarity;
                    from += at + 1;
                }
                else
                {
                    from += ~at;
                }
            }
        }
    }
}
