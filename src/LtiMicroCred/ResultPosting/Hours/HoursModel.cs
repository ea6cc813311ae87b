namespace LtiMicroCred.ResultPosting.Hours;

/// <summary>
/// The district's PD course for in-service hours: the course a district admin launched from and chose, and the
/// "In-service hours" line item the tool found or made there. Each teacher's running total of in-service hours is
/// posted to it. One row per district.
/// </summary>
public sealed class HoursSettings
{
    public Guid TenantId { get; set; }

    /// <summary>The LMS of the PD course; only teachers of this LMS have a result there.</summary>
    public Guid PlatformId { get; set; }

    public Guid CourseId { get; set; }

    /// <summary>The course's AGS line items container, from the launch the course was chosen in.</summary>
    public required string LineItemsUrl { get; set; }

    /// <summary>The "In-service hours" line item (its URL, as the platform gave it).</summary>
    public required string LineItemUrl { get; set; }

    /// <summary>The line item's maximum; a total is posted out of it (a total above it is fine: extra credit).</summary>
    public double ScoreMaximum { get; set; }

    public Guid UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether each teacher's total is also written to the "In-service hours" Canvas custom gradebook column.</summary>
    public bool ColumnEnabled { get; set; }

    /// <summary>The PD course's Canvas course id, when the column was turned on.</summary>
    public long? CanvasCourseId { get; set; }

    /// <summary>The custom gradebook column the tool found or made in the PD course (kept when the option is turned off).</summary>
    public long? CanvasColumnId { get; set; }

    /// <summary>
    /// The district admin who turned the column on: their Canvas connection (tokens stored encrypted, refreshed by the
    /// token source) is the one the background sends use.
    /// </summary>
    public Guid? ColumnConnectedBy { get; set; }
}

/// <summary>
/// A credential's own gradebook line item (AGS resourceId = the credential's key), made by a district admin in the
/// microcredential course: every decision on the credential also posts its score there. One per credential.
/// </summary>
public sealed class CredentialLineItem
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid CredentialId { get; set; }

    public Guid PlatformId { get; set; }

    public Guid CourseId { get; set; }

    public required string LineItemUrl { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
