using GraphDsl.Analysis;
using Xunit;

namespace GraphDsl.Passes.Tests;

/// <summary><see cref="MovedOperator"/> against a brute force over every subset of steps.</summary>
public class MovedOperatorTests
{
    [Fact]
    public void Moving_one_operator_far_lists_that_operator_only()
    {
        // Operator 5 of 0..6 run first: the others shift by one step but keep their relative order.
        Assert.Equal([new MovedOperator(5, 0)], MovedOperator.Of([5, 0, 1, 2, 3, 4, 6]));
        Assert.Empty(MovedOperator.Of([0, 1, 2, 3]));
        Assert.Empty(MovedOperator.Of([]));
    }

    [Fact]
    public void An_operator_at_its_own_step_is_not_listed_when_another_choice_is_as_small()
    {
        // Keeping {0, 3} or {1, 3} or {2, 3}: one of three moves either way; 3 stays at step 3.
        var moved = MovedOperator.Of([1, 2, 0, 3]);
        Assert.Single(moved);
        Assert.DoesNotContain(moved, m => m.Operator == m.Step);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_permutations_list_the_fewest_moves_and_keep_the_rest_in_stored_order(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(0, 9);
            var order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray();
            var moved = MovedOperator.Of(order);
            Assert.All(moved, m => Assert.Equal(order[m.Step], m.Operator));
            var kept = Enumerable.Range(0, n).Where(step => moved.All(m => m.Step != step)).Select(step => order[step]).ToArray();
            Assert.Equal(kept.Order(), kept);
            Assert.Equal(FewestMoves(order), moved.Count);
        }
    }

    /// <summary>The smallest number of steps whose removal leaves an increasing sequence, by trying every subset.</summary>
    private static int FewestMoves(int[] order)
    {
        int n = order.Length, best = n;
        for (int mask = 0; mask < 1 << n; mask++)
        {
            var rest = Enumerable.Range(0, n).Where(i => (mask & (1 << i)) == 0).Select(i => order[i]).ToArray();
            if (rest.Zip(rest.Skip(1)).All(p => p.First < p.Second)) best = Math.Min(best, System.Numerics.BitOperations.PopCount((uint)mask));
        }
        return best;
    }
}
