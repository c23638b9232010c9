using System.Globalization;
using Google.OrTools.Sat;

namespace GraphDsl.ArenaPlanning.Strategies;

/// <summary>Exact placement with Google OR-Tools CP-SAT under a time budget: each buffer is a
/// rectangle (bytes x steps) whose step extent is fixed and whose offset is free; rectangles may
/// not overlap (NoOverlap2D) and the arena top is minimized. Warm-started from the best
/// heuristic, so the answer is never worse than that; proven minimal when CP-SAT reports OPTIMAL
/// or the arena meets the step-wise lower bound. Shared buffers contribute one rectangle per part,
/// all moving with the buffer's offset.</summary>
/// <remarks>Offsets are counted in units of the alignment, which keeps the domains small and makes
/// every solution aligned.</remarks>
public sealed class CpSatStrategy : IArenaStrategy
{
    private readonly ArenaStrategyOptions _options;

    public CpSatStrategy(ArenaStrategyOptions options) => _options = options;

    public string Name => "cpsat";

    public ArenaPlacement Place(IReadOnlyList<BufferInterval> buffers, long alignment, CancellationToken cancellation)
    {
        var hint = HeuristicPortfolio.Best(buffers, alignment, cancellation);
        return Improve(buffers, alignment, hint, cancellation);
    }

    /// <summary>Searches for a smaller arena than <paramref name="hint"/>; returns the hint when
    /// it is already at the lower bound or nothing better is found in time.</summary>
    public ArenaPlacement Improve(IReadOnlyList<BufferInterval> buffers, long alignment, ArenaPlacement hint, CancellationToken cancellation)
    {
        long lowerBound = ArenaLowerBound.Of(buffers, alignment);
        if (hint.ArenaBytes <= lowerBound) return hint with { ProvenMinimal = true, Strategy = Name };

        long top = hint.ArenaBytes / alignment;
        var model = new CpModel();
        var arena = model.NewIntVar(lowerBound / alignment, top, "arena");
        var offsets = new IntVar?[buffers.Count];
        var boxes = model.AddNoOverlap2D();
        foreach (var b in buffers)
        {
            long extent = b.AlignedSize(alignment) / alignment;
            if (extent == 0) continue;
            var offset = model.NewIntVar(0, top - extent, "o" + b.Id.ToString(CultureInfo.InvariantCulture));
            offsets[b.Id] = offset;
            model.Add(offset + extent <= arena);
            model.AddHint(offset, hint.Offsets[b.Id] / alignment);
            // Parts at unaligned offsets are widened to whole alignment units, so the model is
            // safe but may be slightly pessimistic for shared buffers.
            foreach (var part in b.Rectangles(alignment))
            {
                long from = part.Offset / alignment, to = (part.Offset + part.Size + alignment - 1) / alignment;
                if (to == from) continue;
                var bytes = model.NewFixedSizeIntervalVar(offset + from, to - from, "x" + b.Id.ToString(CultureInfo.InvariantCulture));
                var steps = model.NewFixedSizeIntervalVar(part.First, part.Last - part.First + 1, "y" + b.Id.ToString(CultureInfo.InvariantCulture));
                boxes.AddRectangle(bytes, steps);
            }
        }
        model.AddHint(arena, top);
        model.Minimize(arena);

        var solver = new CpSolver
        {
            StringParameters = string.Create(CultureInfo.InvariantCulture,
                $"max_time_in_seconds:{_options.BudgetMilliseconds / 1000.0} num_workers:{_options.Workers}"),
        };
        using var stop = cancellation.Register(solver.StopSearch);
        var status = solver.Solve(model);
        if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible)) return hint with { Strategy = Name };
        var placed = new long[buffers.Count];
        for (int b = 0; b < buffers.Count; b++) placed[b] = offsets[b] is { } v ? solver.Value(v) * alignment : 0;
        long size = solver.Value(arena) * alignment;
        // OPTIMAL proves minimality only for the exact model, i.e. when no part was widened.
        bool exact = status == CpSolverStatus.Optimal && buffers.All(b => b.Parts is null);
        if (size >= hint.ArenaBytes) return hint with { Strategy = Name, ProvenMinimal = hint.ProvenMinimal || exact };
        return new ArenaPlacement(placed, size, exact || size == lowerBound, Name);
    }
}
