using System.Globalization;
using LtiMicroCred.Access;

namespace LtiMicroCred.Web.Pages.App.District.Settings;

/// <summary>Reads the settings forms' typed values (dates, amounts) in one culture, refusing in plain words what does not parse.</summary>
internal sealed class SettingsForm
{
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public DateOnly? Date(string field, string? value, string label)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        _errors[field] = $"{label} is not a date: write it as year-month-day, such as 2026-09-01.";
        return null;
    }

    public decimal Number(string field, string? value, string label)
    {
        if (decimal.TryParse(value?.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        _errors[field] = $"{label} must be a number, such as 4 or 2.5.";
        return 0;
    }

    public int Whole(string field, string? value, string label)
    {
        if (int.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        _errors[field] = $"{label} must be a whole number.";
        return 0;
    }

    /// <summary>Refuses the form when a value did not parse, before the use case runs.</summary>
    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new InvalidInputException(_errors);
        }
    }

    /// <summary>The value of a school select: empty for every school (or the district), otherwise a school's id.</summary>
    public Guid? School(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (Guid.TryParse(value, out var id))
        {
            return id;
        }

        _errors[field] = "Choose a school from the list.";
        return null;
    }

    public static string Date(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

    public static string Number(decimal value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
