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
/// Dense two-phase primal simplex with Bland's rule for small linear programs in standard form:
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
    public static LpSolution Minimize(double[,] a, double[] b, double[] c)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        // tableau: m rows of [A | I_art | b]
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

        // phase 1: minimise the sum of artificials
        var c1 = new double[n + m];
        for (int i = 0; i < m; i++) c1[n + i] = 1;
        var st = Run(t, basis, active, c1, n + m, m);
        if (st == LpStatus.Unbounded) return new LpSolution(LpStatus.Infeasible, double.NaN, new double[n]);
        double infeas = 0;
        for (int i = 0; i < m; i++) if (active[i] && basis[i] >= n) infeas += t[i, width - 1];
        double bscale = 1;
        for (int i = 0; i < m; i++) bscale = Math.Max(bscale, Math.Abs(t[i, width - 1]));
        if (infeas > 1e-9 * bscale) return new LpSolution(LpStatus.Infeasible, double.NaN, new double[n]);
        // drive remaining (zero-level) artificials out of the basis, or drop redundant rows
        for (int i = 0; i < m; i++)
        {
            if (!active[i] || basis[i] < n) continue;
            int piv = -1;
            for (int j = 0; j < n; j++) if (Math.Abs(t[i, j]) > PivotTolerance) { piv = j; break; }
            if (piv < 0) { active[i] = false; continue; }
            Pivot(t, basis, active, i, piv, m);
        }
        // phase 2 on the original columns only (artificials barred)
        var c2 = new double[n + m];
        for (int j = 0; j < n; j++) c2[j] = c[j];
        st = Run(t, basis, active, c2, n, m);
        var x = new double[n];
        for (int i = 0; i < m; i++) if (active[i] && basis[i] < n) x[basis[i]] = t[i, width - 1];
        if (st == LpStatus.Unbounded) return new LpSolution(LpStatus.Unbounded, double.NegativeInfinity, x);
        double obj = 0;
        for (int j = 0; j < n; j++) obj += c[j] * x[j];
        return new LpSolution(LpStatus.Optimal, obj, x);
    }

    private static LpStatus Run(double[,] t, int[] basis, bool[] active, double[] cost, int enterLimit, int m)
    {
        int width = t.GetLength(1);
        int total = width - 1;
        var reduced = new double[total];
        for (int iter = 0; iter < 10_000; iter++)
        {
            // reduced costs r_j = c_j - c_B' B^-1 A_j
            for (int j = 0; j < total; j++)
            {
                double s = cost[j];
                for (int i = 0; i < m; i++) if (active[i]) s -= cost[basis[i]] * t[i, j];
                reduced[j] = s;
            }
            int enter = -1;
            for (int j = 0; j < enterLimit; j++)
            {
                if (reduced[j] < -CostTolerance && !IsBasic(basis, active, j, m)) { enter = j; break; }
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
            Pivot(t, basis, active, leave, enter, m);
        }
        throw new InvalidOperationException("simplex did not terminate in 10,000 pivots");
    }

    private static bool IsBasic(int[] basis, bool[] active, int j, int m)
    {
        for (int i = 0; i < m; i++) if (active[i] && basis[i] == j) return true;
        return false;
    }

    private static void Pivot(double[,] t, int[] basis, bool[] active, int row, int col, int m)
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
