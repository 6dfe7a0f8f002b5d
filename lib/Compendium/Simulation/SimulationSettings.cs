using Compendium.Data;

namespace Compendium.Simulation;

/// <summary>
/// Everything that decides the synthetic panel; the same settings give the same bytes.
/// The defaults make the committed <c>data/synthetic/panel.csv</c>.
/// </summary>
/// <param name="Seed">Seed of the one <see cref="System.Random"/> stream every draw comes from.</param>
/// <param name="Timing">Policy-year coding used to assign treatment (and written to <c>policy_year</c>).</param>
/// <param name="TalentShareDid">Calibration target: the TWFE DID coefficient of the noise-free effect on <c>talent_share</c> (the study: 0.011).</param>
/// <param name="NewFirmsDid">Calibration target for <c>ln_new_firms</c> (the study: 0.204).</param>
/// <param name="EffectScale">Multiplies every indicator's effect per unit of mechanism intensity (1 = the documented calibration).</param>
/// <param name="BuildUpYears">Time constant of the build-up: intensity at event time k ≥ 0 is 1 − exp(−(k+1)/BuildUpYears).</param>
/// <param name="SpilloverShare">Spillover intensity on an untreated city relative to the distance-weighted mean intensity of the other cities.</param>
/// <param name="SpilloverRangeKm">Distance decay of spillovers: weight exp(−d/range).</param>
/// <param name="ShockCushion">Share of the 2020 shock that a fully treated city (intensity 1) avoids.</param>
/// <param name="CohortHeterogeneity">
/// Effect heterogeneity across adoption cohorts, h ≥ 0: a treated city's intensity is multiplied by
/// 1 + h·(p_last − p)/(p_last − p_first), p its policy year and p_first, p_last the earliest and latest
/// policy years of the calendar, so the first cohort's effect is (1 + h) times the last cohort's (0: no
/// cohort heterogeneity, the committed panel). The TWFE calibration then rescales all intensities together.
/// </param>
public sealed record SimulationSettings(
    int Seed = SimulationSettings.DefaultSeed,
    TimingCoding Timing = TimingCoding.Default,
    double TalentShareDid = 0.011,
    double NewFirmsDid = 0.204,
    double EffectScale = 1.0,
    double BuildUpYears = 2.5,
    double SpilloverShare = 0.5,
    double SpilloverRangeKm = 300,
    double ShockCushion = 0.3,
    double CohortHeterogeneity = 0)
{
    /// <summary>The documented default seed (the date the panel was first fixed, 2026-01-01).</summary>
    public const int DefaultSeed = 20260101;
}
