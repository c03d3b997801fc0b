namespace Keystore.Policies.Documents;

/// <summary>
/// A UTC time-of-day window [<paramref name="From"/>, <paramref name="To"/>), minutes after midnight. When
/// <paramref name="To"/> is not after <paramref name="From"/> it runs past midnight (22:00–06:00); equal means all day.
/// </summary>
public sealed record TimeOfDayWindow(int From, int To)
{
    public bool Contains(DateTimeOffset now)
    {
        int minute = (int)now.UtcDateTime.TimeOfDay.TotalMinutes;
        if (From == To) return true;
        return From < To ? minute >= From && minute < To : minute >= From || minute < To;
    }
}
