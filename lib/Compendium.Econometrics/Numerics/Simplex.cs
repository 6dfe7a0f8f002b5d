namespace Compendium.Econometrics.Numerics;

/// <summary>Status of a linear program.</summary>
public enum LpStatus
{
    /// <summary>An optimal basic solution was found.</summary>
    Optimal,
    /// <summary>No x ≥ 0 satisfies A x = b.</summary>
    Infeasible,
    /// <summary>The objective decreases without bound.</summary>
    Unbounded,
}

/// <summary>Solution of a linear program in standard form.</summary>
/// <param name="Status">Whether the program was solved.</param>
/// <param name="Objective">c′x at the solution (NaN when infeasible).</param>
/// <param name="X">The basic solution found.</param>
public sealed record LpSolution(LpStatus Status, double Objective, double[] X);

/// <summary>
/// Dense two-phase primal simplex for small linear programs in standard form (Dantzig's pricing, Bland's
/// rule after 50 degenerate pivots in a row, so it cannot cycle):
/// minimise c'x subject to A x = b, x ≥ 0. Rows are equilibrated (divided by their largest absolute
/// entry) before solving; pivots smaller than <see cref="PivotTolerance"/> are ignored.
/// </summary>
public static class Simplex
{
    /// <summary>Pivot elements at or below this (after row equilibration) are treated as zero.</summary>
    public const double PivotTolerance = 1e-11;
    /// <summary>A reduced cost must be below −this for its column to enter the basis.</summary>
    public const double CostTolerance = 1e-12;

    /// <summary>Minimise c′x subject to A x = b, x ≥ 0 (A is m×n, dense).</summary>
    public static LpSolution Minimize(double[,] a, double[] b, double[] c) => new SimplexProblem(a, b).Minimize(c);

    internal static LpStatus Run(double[,] t, int[] basis, bool[] active, double[] cost, int enterLimit, int m)
    {
        int width = t.GetLength(1);
        int total = width - 1;
        var reduced = new double[total];
        int degenerateRun = 0;
        for (int iter = 0; iter < 10_000; iter++)
        {
            // reduced costs r_j = c_j - c_B' B^-1 A_j
            for (int j = 0; j < total; j++)
            {
                double s = cost[j];
                for (int i = 0; i < m; i++) if (active[i]) s -= cost[basis[i]] * t[i, j];
                reduced[j] = s;
            }
            // Dantzig's rule (most negative reduced cost); after a run of degenerate pivots, Bland's rule
            // (smallest index), which cannot cycle
            int enter = -1;
            double best0 = -CostTolerance;
            for (int j = 0; j < enterLimit; j++)
            {
                if (reduced[j] >= -CostTolerance || IsBasic(basis, active, j, m)) continue;
                if (degenerateRun > 50) { enter = j; break; }
                if (reduced[j] < best0) { best0 = reduced[j]; enter = j; }
            }
            if (enter < 0) return LpStatus.Optimal;
            int leave = -1;
            double best = double.PositiveInfinity;
            for (int i = 0; i < m; i++)
            {
                if (!active[i] || t[i, enter] <= PivotTolerance) continue;
                double ratio = t[i, width - 1] / t[i, enter];
                if (ratio < best - 1e-15 || (Math.Abs(ratio - best) <= 1e-15 && basis[i] < basis[leave]))
                {
                    best = ratio; leave = i;
                }
            }
            if (leave < 0) return LpStatus.Unbounded;
            degenerateRun = best <= 1e-15 ? degenerateRun + 1 : 0;
            Pivot(t, basis, active, leave, enter, m);
        }
        throw new InvalidOperationException("simplex did not terminate in 10,000 pivots");
    }

    internal static bool IsBasic(int[] basis, bool[] active, int j, int m)
    {
        for (int i = 0; i < m; i++) if (active[i] && basis[i] == j) return true;
        return false;
    }

    internal static void Pivot(double[,] t, int[] basis, bool[] active, int row, int col, int m)
    {
        int width = t.GetLength(1);
        double p = t[row, col];
        for (int j = 0; j < width; j++) t[row, j] /= p;
        t[row, col] = 1;
        for (int i = 0; i < m; i++)
        {
            if (i == row || !active[i]) continue;
            double f = t[i, col];
            if (f == 0) continue;
            for (int j = 0; j < width; j++) t[i, j] -= f * t[row, j];
            t[i, col] = 0;
        }
        basis[row] = col;
    }
}

/// <summary>
/// A linear program min c′x s.t. A x = b, x ≥ 0 whose constraints stay fixed while the objective changes:
/// phase 1 runs once, and each <see cref="Minimize"/> starts phase 2 from the previous optimal basis (still
/// feasible, as only c changed). The optimal value does not depend on the starting basis; when the optimum is
/// not unique the solution x may.
/// </summary>
public sealed class SimplexProblem
{
    private readonly double[,] _t;
    private readonly int[] _basis;
    private readonly bool[] _active;
    private readonly int _m, _n;
    private readonly bool _feasible;

    /// <summary>Set up the tableau and find a feasible basis (phase 1).</summary>
    public SimplexProblem(double[,] a, double[] b)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        _m = m; _n = n;
        int width = n + m + 1;
        var t = new double[m, width];
        for (int i = 0; i < m; i++)
        {
            double scale = 0;
            for (int j = 0; j < n; j++) scale = Math.Max(scale, Math.Abs(a[i, j]));
            if (scale == 0) scale = 1;
            double sign = b[i] < 0 ? -1 : 1;
            for (int j = 0; j < n; j++) t[i, j] = sign * a[i, j] / scale;
            t[i, n + i] = 1;
            t[i, width - 1] = sign * b[i] / scale;
        }
        var basis = new int[m];
        for (int i = 0; i < m; i++) basis[i] = n + i;
        var active = new bool[m];
        Array.Fill(active, true);
        _t = t; _basis = basis; _active = active;
        // phase 1: minimise the sum of artificials
        var c1 = new double[n + m];
        for (int i = 0; i < m; i++) c1[n + i] = 1;
        if (Simplex.Run(t, basis, active, c1, n + m, m) == LpStatus.Unbounded) return;
        double infeas = 0, bscale = 1;
        for (int i = 0; i < m; i++) if (active[i] && basis[i] >= n) infeas += t[i, width - 1];
        for (int i = 0; i < m; i++) bscale = Math.Max(bscale, Math.Abs(t[i, width - 1]));
        if (infeas > 1e-9 * bscale) return;
        // drive remaining (zero-level) artificials out of the basis, or drop redundant rows
        for (int i = 0; i < m; i++)
        {
            if (!active[i] || basis[i] < n) continue;
            int piv = -1;
            for (int j = 0; j < n; j++) if (Math.Abs(t[i, j]) > Simplex.PivotTolerance) { piv = j; break; }
            if (piv < 0) { active[i] = false; continue; }
            Simplex.Pivot(t, basis, active, i, piv, m);
        }
        _feasible = true;
    }

    /// <summary>True when some x ≥ 0 satisfies A x = b.</summary>
    public bool Feasible => _feasible;

    /// <summary>Minimise c′x (phase 2 from the current basis; the artificial columns are barred).</summary>
    public LpSolution Minimize(double[] c)
    {
        int n = _n, m = _m, width = _t.GetLength(1);
        if (!_feasible) return new LpSolution(LpStatus.Infeasible, double.NaN, new double[n]);
        var c2 = new double[n + m];
        for (int j = 0; j < n; j++) c2[j] = c[j];
        var st = Simplex.Run(_t, _basis, _active, c2, n, m);
        var x = new double[n];
        for (int i = 0; i < m; i++) if (_active[i] && _basis[i] < n) x[_basis[i]] = _t[i, width - 1];
        if (st == LpStatus.Unbounded) return new LpSolution(LpStatus.Unbounded, double.NegativeInfinity, x);
        double obj = 0;
        for (int j = 0; j < n; j++) obj += c[j] * x[j];
        return new LpSolution(LpStatus.Optimal, obj, x);
    }
}
