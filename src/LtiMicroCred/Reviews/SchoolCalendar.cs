namespace LtiMicroCred.Reviews;

/// <summary>
/// School days are Monday to Friday (no holiday calendar yet): a review due "in 5 school days" from a Thursday is due
/// the Thursday after. Times keep their time of day; everything is counted in UTC from the injected clock.
/// </summary>
public sealed class SchoolCalendar(TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();

    public static bool IsSchoolDay(DateTimeOffset at) => at.UtcDateTime.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary>Moves <paramref name="days"/> school days forward (or back, when negative), skipping weekends.</summary>
    public static DateTimeOffset AddSchoolDays(DateTimeOffset from, int days)
    {
        var step = days < 0 ? -1 : 1;
        var at = from;
        for (var counted = 0; counted < Math.Abs(days);)
        {
            at = at.AddDays(step);
            if (IsSchoolDay(at))
            {
                counted++;
            }
        }

        return at;
    }

    /// <summary>Whole school days from <paramref name="from"/> to <paramref name="to"/> (0 when <paramref name="to"/> is not later).</summary>
    public static int SchoolDaysBetween(DateTimeOffset from, DateTimeOffset to)
    {
        var days = 0;
        while (AddSchoolDays(from, days + 1) <= to)
        {
            days++;
        }

        return days;
    }
}
