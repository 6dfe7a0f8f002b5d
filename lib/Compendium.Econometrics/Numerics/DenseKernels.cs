using System.Numerics;

namespace Compendium.Econometrics.Numerics;

/// <summary>
/// Dense n × n kernels on row-major arrays for the spatial models, where n (units) is in the hundreds to low
/// thousands: the inverse, and the eigenvalues (only) of symmetric and general matrices. MathNet's managed
/// routines compute eigenvectors too and invert column by column; these do only what is needed, with
/// SIMD row operations, and are 5–20× faster at n ≈ 300.
/// </summary>
/// <remarks>
/// Algorithms (textbook, written out): Gauss–Jordan elimination with partial pivoting; Householder reduction to
/// tridiagonal form and the implicit QL method with Wilkinson shifts (Golub &amp; Van Loan, Matrix Computations,
/// 4th ed., 8.3; Press et al., Numerical Recipes, 3rd ed., 11.3–11.4: tred2, tqli); balancing, reduction to
/// Hessenberg form by stabilised elementary similarity transformations and the Francis double-shift QR
/// algorithm (Numerical Recipes 11.6–11.7: balanc, elmhes, hqr; EISPACK).
/// </remarks>
internal static class DenseKernels
{
    /// <summary>The inverse of the n × n matrix <paramref name="a"/> (row-major; not modified). Throws on a singular matrix.</summary>
    public static double[] Inverse(ReadOnlySpan<double> a, int n)
    {
        var w = a.ToArray();
        var inv = new double[n * n];
        for (int i = 0; i < n; i++) inv[i * n + i] = 1;
        for (int k = 0; k < n; k++)
        {
            int p = k; double best = Math.Abs(w[k * n + k]);
            for (int i = k + 1; i < n; i++) { double v = Math.Abs(w[i * n + k]); if (v > best) { best = v; p = i; } }
            if (best == 0 || !double.IsFinite(best)) throw new InvalidOperationException("singular matrix");
            if (p != k) { SwapRows(w, n, k, p); SwapRows(inv, n, k, p); }
            double piv = 1 / w[k * n + k];
            Scale(w.AsSpan(k * n, n), piv); Scale(inv.AsSpan(k * n, n), piv);
            var wk = w.AsSpan(k * n, n); var ik = inv.AsSpan(k * n, n);
            for (int i = 0; i < n; i++)
            {
                if (i == k) continue;
                double f = w[i * n + k];
                if (f == 0) continue;
                Axpy(-f, wk, w.AsSpan(i * n, n));
                Axpy(-f, ik, inv.AsSpan(i * n, n));
            }
        }
        return inv;
    }

    /// <summary>Eigenvalues of the symmetric n × n matrix <paramref name="a"/> (row-major; only the lower triangle is read), ascending.</summary>
    public static double[] SymmetricEigenvalues(ReadOnlySpan<double> a, int n)
    {
        var z = a.ToArray();
        var d = new double[n]; var e = new double[n];
        // Householder reduction to tridiagonal form (tred2 without accumulating the transformations)
        for (int i = n - 1; i > 0; i--)
        {
            int l = i - 1; double h = 0, scale = 0;
            if (l > 0)
            {
                for (int k = 0; k <= l; k++) scale += Math.Abs(z[i * n + k]);
                if (scale == 0) e[i] = z[i * n + l];
                else
                {
                    for (int k = 0; k <= l; k++) { z[i * n + k] /= scale; h += z[i * n + k] * z[i * n + k]; }
                    double f = z[i * n + l];
                    double g = f >= 0 ? -Math.Sqrt(h) : Math.Sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    z[i * n + l] = f - g;
                    f = 0;
                    for (int j = 0; j <= l; j++)
                    {
                        g = 0;
                        for (int k = 0; k <= j; k++) g += z[j * n + k] * z[i * n + k];
                        for (int k = j + 1; k <= l; k++) g += z[k * n + j] * z[i * n + k];
                        e[j] = g / h;
                        f += e[j] * z[i * n + j];
                    }
                    double hh = f / (h + h);
                    for (int j = 0; j <= l; j++)
                    {
                        f = z[i * n + j];
                        e[j] = g = e[j] - hh * f;
                        for (int k = 0; k <= j; k++) z[j * n + k] -= f * e[k] + g * z[i * n + k];
                    }
                }
            }
            else e[i] = z[i * n + l];
            d[i] = h;
        }
        for (int i = 0; i < n; i++) d[i] = z[i * n + i];
        // implicit QL with shifts on the tridiagonal matrix (tqli without eigenvectors)
        for (int i = 1; i < n; i++) e[i - 1] = e[i];
        if (n > 0) e[n - 1] = 0;
        const double eps = 2.220446049250313e-16;
        for (int l = 0; l < n; l++)
        {
            int iter = 0, m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (Math.Abs(e[m]) <= eps * dd) break;
                }
                if (m != l)
                {
                    if (iter++ == 60) throw new InvalidOperationException("symmetric eigenvalues: no convergence");
                    double g = (d[l + 1] - d[l]) / (2 * e[l]);
                    double r = Hypot(g, 1);
                    g = d[m] - d[l] + e[l] / (g + (g >= 0 ? Math.Abs(r) : -Math.Abs(r)));
                    double s = 1, c = 1, p = 0;
                    int i;
                    for (i = m - 1; i >= l; i--)
                    {
                        double f = s * e[i], b = c * e[i];
                        e[i + 1] = r = Hypot(f, g);
                        if (r == 0) { d[i + 1] -= p; e[m] = 0; break; }
                        s = f / r; c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2 * c * b;
                        d[i + 1] = g + (p = s * r);
                        g = c * r - b;
                    }
                    if (r == 0 && i >= l) continue;
                    d[l] -= p; e[l] = g; e[m] = 0;
                }
            } while (m != l);
        }
        Array.Sort(d);
        return d;
    }

    /// <summary>Eigenvalues of a general n × n matrix <paramref name="a"/> (row-major; not modified): real and imaginary parts.</summary>
    public static (double[] Re, double[] Im) GeneralEigenvalues(ReadOnlySpan<double> a, int n)
    {
        var h = a.ToArray();
        Balance(h, n);
        Hessenberg(h, n);
        for (int i = 2; i < n; i++) for (int j = 0; j < i - 1; j++) h[i * n + j] = 0;
        return HessenbergQr(h, n);
    }

    private static void Balance(double[] a, int n)
    {
        const double radix = 2, sqrdx = radix * radix;
        bool done = false;
        while (!done)
        {
            done = true;
            for (int i = 0; i < n; i++)
            {
                double r = 0, c = 0;
                for (int j = 0; j < n; j++)
                    if (j != i) { c += Math.Abs(a[j * n + i]); r += Math.Abs(a[i * n + j]); }
                if (c == 0 || r == 0) continue;
                double g = r / radix, f = 1, s = c + r;
                while (c < g) { f *= radix; c *= sqrdx; }
                g = r * radix;
                while (c > g) { f /= radix; c /= sqrdx; }
                if ((c + r) / f < 0.95 * s)
                {
                    done = false;
                    g = 1 / f;
                    for (int j = 0; j < n; j++) a[i * n + j] *= g;
                    for (int j = 0; j < n; j++) a[j * n + i] *= f;
                }
            }
        }
    }

    private static void Hessenberg(double[] a, int n)
    {
        for (int m = 1; m < n - 1; m++)
        {
            double x = 0; int i = m;
            for (int j = m; j < n; j++)
                if (Math.Abs(a[j * n + m - 1]) > Math.Abs(x)) { x = a[j * n + m - 1]; i = j; }
            if (i != m)
            {
                for (int j = m - 1; j < n; j++) (a[i * n + j], a[m * n + j]) = (a[m * n + j], a[i * n + j]);
                for (int j = 0; j < n; j++) (a[j * n + i], a[j * n + m]) = (a[j * n + m], a[j * n + i]);
            }
            if (x == 0) continue;
            for (i = m + 1; i < n; i++)
            {
                double y = a[i * n + m - 1];
                if (y == 0) continue;
                y /= x;
                a[i * n + m - 1] = y;
                Axpy(-y, a.AsSpan(m * n + m, n - m), a.AsSpan(i * n + m, n - m));
                for (int j = 0; j < n; j++) a[j * n + m] += y * a[j * n + i];
            }
        }
    }

    private static (double[] Re, double[] Im) HessenbergQr(double[] a, int n)
    {
        var wr = new double[n]; var wi = new double[n];
        const double eps = 2.220446049250313e-16;
        double anorm = 0;
        for (int i = 0; i < n; i++)
            for (int j = Math.Max(i - 1, 0); j < n; j++) anorm += Math.Abs(a[i * n + j]);
        int nn = n - 1; double t = 0;
        double p = 0, q = 0, r = 0, s, w, x, y, z = 0;
        while (nn >= 0)
        {
            int its = 0, l;
            do
            {
                for (l = nn; l > 0; l--)
                {
                    s = Math.Abs(a[(l - 1) * n + l - 1]) + Math.Abs(a[l * n + l]);
                    if (s == 0) s = anorm;
                    if (Math.Abs(a[l * n + l - 1]) <= eps * s) { a[l * n + l - 1] = 0; break; }
                }
                x = a[nn * n + nn];
                if (l == nn) { wr[nn] = x + t; wi[nn--] = 0; }
                else
                {
                    y = a[(nn - 1) * n + nn - 1];
                    w = a[nn * n + nn - 1] * a[(nn - 1) * n + nn];
                    if (l == nn - 1)
                    {
                        p = 0.5 * (y - x);
                        q = p * p + w;
                        z = Math.Sqrt(Math.Abs(q));
                        x += t;
                        if (q >= 0)
                        {
                            z = p + (p >= 0 ? Math.Abs(z) : -Math.Abs(z));
                            wr[nn - 1] = wr[nn] = x + z;
                            if (z != 0) wr[nn] = x - w / z;
                            wi[nn - 1] = wi[nn] = 0;
                        }
                        else
                        {
                            wr[nn - 1] = wr[nn] = x + p;
                            wi[nn - 1] = z; wi[nn] = -z;
                        }
                        nn -= 2;
                    }
                    else
                    {
                        if (its == 60) throw new InvalidOperationException("general eigenvalues: no convergence");
                        if (its == 10 || its == 20)
                        {
                            t += x;
                            for (int i = 0; i <= nn; i++) a[i * n + i] -= x;
                            s = Math.Abs(a[nn * n + nn - 1]) + Math.Abs(a[(nn - 1) * n + nn - 2]);
                            y = x = 0.75 * s;
                            w = -0.4375 * s * s;
                        }
                        ++its;
                        int m;
                        for (m = nn - 2; m >= l; m--)
                        {
                            z = a[m * n + m];
                            r = x - z; s = y - z;
                            p = (r * s - w) / a[(m + 1) * n + m] + a[m * n + m + 1];
                            q = a[(m + 1) * n + m + 1] - z - r - s;
                            r = a[(m + 2) * n + m + 1];
                            s = Math.Abs(p) + Math.Abs(q) + Math.Abs(r);
                            p /= s; q /= s; r /= s;
                            if (m == l) break;
                            double u = Math.Abs(a[m * n + m - 1]) * (Math.Abs(q) + Math.Abs(r));
                            double v = Math.Abs(p) * (Math.Abs(a[(m - 1) * n + m - 1]) + Math.Abs(z) + Math.Abs(a[(m + 1) * n + m + 1]));
                            if (u <= eps * v) break;
                        }
                        for (int i = m; i < nn - 1; i++)
                        {
                            a[(i + 2) * n + i] = 0;
                            if (i != m) a[(i + 2) * n + i - 1] = 0;
                        }
                        for (int k = m; k < nn; k++)
                        {
                            if (k != m)
                            {
                                p = a[k * n + k - 1];
                                q = a[(k + 1) * n + k - 1];
                                r = 0;
                                if (k + 1 != nn) r = a[(k + 2) * n + k - 1];
                                if ((x = Math.Abs(p) + Math.Abs(q) + Math.Abs(r)) != 0) { p /= x; q /= x; r /= x; }
                            }
                            double sq = Math.Sqrt(p * p + q * q + r * r);
                            if ((s = p >= 0 ? sq : -sq) != 0)
                            {
                                if (k == m) { if (l != m) a[k * n + k - 1] = -a[k * n + k - 1]; }
                                else a[k * n + k - 1] = -s * x;
                                p += s;
                                x = p / s; y = q / s; z = r / s;
                                q /= p; r /= p;
                                for (int j = k; j <= nn; j++)
                                {
                                    p = a[k * n + j] + q * a[(k + 1) * n + j];
                                    if (k + 1 != nn) { p += r * a[(k + 2) * n + j]; a[(k + 2) * n + j] -= p * z; }
                                    a[(k + 1) * n + j] -= p * y;
                                    a[k * n + j] -= p * x;
                                }
                                int mmin = nn < k + 3 ? nn : k + 3;
                                for (int i = l; i <= mmin; i++)
                                {
                                    p = x * a[i * n + k] + y * a[i * n + k + 1];
                                    if (k + 1 != nn) { p += z * a[i * n + k + 2]; a[i * n + k + 2] -= p * r; }
                                    a[i * n + k + 1] -= p * q;
                                    a[i * n + k] -= p;
                                }
                            }
                        }
                    }
                }
            } while (l + 1 < nn);
        }
        return (wr, wi);
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double r = y / x;
        return x * Math.Sqrt(1 + r * r);
    }

    private static void SwapRows(double[] m, int n, int a, int b)
    {
        var ra = m.AsSpan(a * n, n); var rb = m.AsSpan(b * n, n);
        Span<double> tmp = n <= 512 ? stackalloc double[n] : new double[n];
        ra.CopyTo(tmp); rb.CopyTo(ra); tmp.CopyTo(rb);
    }

    private static void Scale(Span<double> x, double f)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vf = new Vector<double>(f);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(x[i..]) * vf).CopyTo(x[i..]);
        }
        for (; i < x.Length; i++) x[i] *= f;
    }

    /// <summary>y += a·x.</summary>
    internal static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<double>(a);
            for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
                (new Vector<double>(y[i..]) + va * new Vector<double>(x[i..])).CopyTo(y[i..]);
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }
}
