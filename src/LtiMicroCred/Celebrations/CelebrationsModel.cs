namespace LtiMicroCred.Celebrations;

/// <summary>What a notification is about; stored as text.</summary>
public static class NotificationKinds
{
    /// <summary>To the teacher: their credential was awarded.</summary>
    public const string Congratulation = "award.congratulation";

    /// <summary>To the principals of the attempt's school and the district admins: a teacher earned a credential.</summary>
    public const string AwardNotice = "award.notice";

    /// <summary>To a school leader: the periodic summary of their schools.</summary>
    public const string Digest = "digest";
}

/// <summary>
/// One message to one person inside the tool, written in the same unit of work as what caused it (an award, a digest
/// period). Plain text only: the page and the email encode it. Holds no evidence content.
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid RecipientId { get; set; }

    /// <summary>One of <see cref="NotificationKinds"/>.</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }

    /// <summary>Plain text; paragraphs separated by blank lines.</summary>
    public required string Body { get; set; }

    /// <summary>A path inside the tool ("/app/attempts/..."); pages add the launch token.</summary>
    public string? Link { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>A person's own choice about email; no row means the default (emails on).</summary>
public sealed class NotificationPreference
{
    public Guid PersonId { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>Send the person's notifications (awards, notices, digests) by email too, when they have an address.</summary>
    public bool EmailEnabled { get; set; } = true;

    public DateTimeOffset UpdatedAt { get; set; }
}

public enum DigestFrequency
{
    Off,
    Weekly,
    Daily,
}

/// <summary>The district's digest to school leaders: how often, and at which hour (UTC) and, weekly, on which day.</summary>
public sealed class DigestSettings
{
    public Guid TenantId { get; set; }

    public DigestFrequency Frequency { get; set; }

    public DayOfWeek Day { get; set; } = DayOfWeek.Monday;

    /// <summary>0-23, UTC.</summary>
    public int Hour { get; set; } = 7;

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>
/// One digest period of one district, claimed by the job that sends it: unique per tenant and period start, so of two
/// runs (a repeat, a second node) exactly one inserts it, and its notifications and emails are saved with it.
/// </summary>
public sealed class DigestRun
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    /// <summary>The scheduled time this period's digest is for; the summary covers [<see cref="Since"/>, this).</summary>
    public DateTimeOffset PeriodStart { get; set; }

    public DateTimeOffset Since { get; set; }

    public DateTimeOffset SentAt { get; set; }

    public int Recipients { get; set; }
}
