using LtiMicroCred.Reviews;

namespace LtiMicroCred.Web.Pages.App.Reviews;

/// <summary>Due times and statuses in words (never colour alone).</summary>
public static class ReviewText
{
    public static string Due(DateTimeOffset due, DateTimeOffset now)
    {
        if (now > due)
        {
            return $"Overdue: was due {due:dddd, MMMM d}";
        }

        return due - now <= TimeSpan.FromDays(2) ? $"Due soon: {due:dddd, MMMM d, HH:mm} UTC" : $"Due {due:dddd, MMMM d}";
    }

    public static string Status(ReviewStatus status) => status switch
    {
        ReviewStatus.Allocated => "Not started",
        ReviewStatus.Draft => "Draft saved",
        ReviewStatus.Submitted => "Submitted",
        ReviewStatus.Reallocated => "Given to another reviewer",
        _ => "No longer needed",
    };
}
