namespace Compendium.Data;

/// <summary>
/// One of the study's 283 cities (a row of data/cities.csv; the codebook is data/README.md).
/// </summary>
/// <param name="Code">6-digit GB/T 2260 administrative code (municipalities: 110000, 120000, 310000, 500000).</param>
/// <param name="Name">English (pinyin) name; not unique (two Suzhous, Fuzhous, Taizhous, Yichuns, Yulins), so key on <paramref name="Code"/>.</param>
/// <param name="NameZh">Chinese name without the 市 suffix.</param>
/// <param name="Province">Province (English); a municipality is its own province.</param>
/// <param name="ProvinceZh">Province (Chinese, full name).</param>
/// <param name="Region">NBS four-region scheme.</param>
/// <param name="Latitude">City seat, decimal degrees north.</param>
/// <param name="Longitude">City seat, decimal degrees east.</param>
/// <param name="Municipality">Directly administered municipality (Beijing, Tianjin, Shanghai, Chongqing).</param>
/// <param name="ProvincialCapital">Capital of a province or autonomous region (0 for the municipalities).</param>
/// <param name="SubProvincial">One of the 15 sub-provincial cities.</param>
/// <param name="UrbanPop2020">Urban population of the city proper (城区人口), 2020 census, millions (approximate; see the codebook).</param>
/// <param name="SizeClass">Class of <paramref name="UrbanPop2020"/> under the 2014 State Council standard.</param>
public sealed record City(int Code, string Name, string NameZh, string Province, string ProvinceZh, Region Region,
    double Latitude, double Longitude, bool Municipality, bool ProvincialCapital, bool SubProvincial,
    double UrbanPop2020, SizeClass SizeClass);
