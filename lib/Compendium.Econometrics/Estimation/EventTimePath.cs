using System.Collections.Immutable;

namespace Compendium.Econometrics.Estimation;

/// <summary>
/// A result that estimates an event-time path: the TWFE event study, Sun &amp; Abraham,
/// Callaway &amp; Sant'Anna's dynamic aggregation, the imputation estimator. Sensitivity analysis
/// (HonestDiD) and the event-time figures read any of them through this interface.
/// </summary>
public interface IEventTimePath
{
    /// <summary>One estimate per event time, in ascending event time; a reference period (normalised to 0) is marked.</summary>
    ImmutableArray<EventTimeEstimate> Path { get; }

    /// <summary>
    /// The covariance matrix of the non-reference estimates of <see cref="Path"/>, in path order
    /// (k×k for k non-reference points).
    /// </summary>
    double[,] PathCovariance();
}

/// <summary>Helpers for <see cref="IEventTimePath"/> implementations.</summary>
public static class EventTimePaths
{
    /// <summary>
    /// The covariance of the path's non-reference points, taken from a result's variance matrix by
    /// coefficient name (<paramref name="names"/>[j] is the coefficient of the j-th non-reference point).
    /// </summary>
    public static double[,] FromVariance(EstimationResult result, IReadOnlyList<string> names)
    {
        int k = result.Coefficients.Length, m = names.Count;
        var idx = names.Select(n => result.Coefficients.IndexOf(result[n])).ToArray();
        var v = new double[m, m];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) v[a, b] = result.Variance.Matrix[idx[a] * k + idx[b]];
        return v;
    }
}
