namespace Compendium.Simulation;

/// <summary>
/// The two-way within transform of a balanced panel and the one-regressor TWFE slope, used to
/// calibrate the simulator and to report its diagnostics. Not a regression engine: one regressor,
/// balanced panels only (for which x − x̄_i − x̄_t + x̄ is the exact city-and-year fixed-effects residual).
/// </summary>
internal static class BalancedTwfe
{
    /// <summary>Two-way demeaned copy of <paramref name="x"/>, laid out as unit-major blocks of <paramref name="periods"/>.</summary>
    public static double[] Demean(double[] x, int units, int periods)
    {
        var ui = new double[units];
        var tm = new double[periods];
        double all = 0;
        for (int i = 0; i < units; i++)
            for (int t = 0; t < periods; t++) { double v = x[i * periods + t]; ui[i] += v; tm[t] += v; all += v; }
        for (int i = 0; i < units; i++) ui[i] /= periods;
        for (int t = 0; t < periods; t++) tm[t] /= units;
        all /= units * periods;
        var r = new double[x.Length];
        for (int i = 0; i < units; i++)
            for (int t = 0; t < periods; t++) r[i * periods + t] = x[i * periods + t] - ui[i] - tm[t] + all;
        return r;
    }

    public static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    /// <summary>TWFE slope of y on x with unit and period fixed effects.</summary>
    public static double Slope(double[] y, double[] x, int units, int periods)
    {
        var xd = Demean(x, units, periods);
        return Dot(Demean(y, units, periods), xd) / Dot(xd, xd);
    }

    /// <summary>
    /// First stage of x on z with unit and period FE: slope, partial R², the conventional F (= t²,
    /// residual dof N − units − periods) and the cluster-robust F by unit (CR1, factor G/(G−1)·(N−1)/(N−K), K = units + periods).
    /// </summary>
    public static (double Slope, double PartialR2, double F, double ClusterF) FirstStage(double[] x, double[] z, int units, int periods)
    {
        var xd = Demean(x, units, periods);
        var zd = Demean(z, units, periods);
        double szz = Dot(zd, zd), b = Dot(zd, xd) / szz;
        int n = x.Length, k = units + periods;
        double ssr = 0;
        var u = new double[n];
        for (int i = 0; i < n; i++) { u[i] = xd[i] - b * zd[i]; ssr += u[i] * u[i]; }
        double f = b * b / (ssr / (n - k) / szz);
        double meat = 0;
        for (int g = 0; g < units; g++)
        {
            double s = 0;
            for (int t = 0; t < periods; t++) s += zd[g * periods + t] * u[g * periods + t];
            meat += s * s;
        }
        double vCluster = (double)units / (units - 1) * (n - 1) / (n - k) * meat / (szz * szz);
        return (b, 1 - ssr / Dot(xd, xd), f, b * b / vCluster);
    }
}
