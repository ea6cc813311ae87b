namespace LtiMicroCred.People;

/// <summary>Someone who has launched the tool: identified by the platform's subject id, never by email.</summary>
public sealed class Person
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid PlatformId { get; set; }

    /// <summary>The LTI 'sub' claim: stable per platform.</summary>
    public required string Subject { get; set; }

    public required string Name { get; set; }

    public string? GivenName { get; set; }

    public string? FamilyName { get; set; }

    public string? Email { get; set; }

    /// <summary>
    /// The person's Canvas user id, from the launch's <c>canvas_user_id</c> custom parameter ($Canvas.user.id), when
    /// the platform is a Canvas that sends it: who must be the one to authorize the tool's Canvas REST access.
    /// </summary>
    public long? CanvasUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastLaunchAt { get; set; }

    /// <summary>District-wide roles given by a district administrator or an import, beside what launches give.</summary>
    public ProductRoles AssignedRoles { get; set; }
}

/// <summary>An LMS course (LTI context) the tool was launched from.</summary>
public sealed class Course
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid PlatformId { get; set; }

    public required string ContextId { get; set; }

    public required string Title { get; set; }

    public string? Label { get; set; }

    /// <summary>The course's AGS line items container, from the latest launch that named it.</summary>
    public string? LineItemsUrl { get; set; }

    /// <summary>The course's NRPS memberships URL, from the latest launch that named it.</summary>
    public string? MembershipsUrl { get; set; }

    /// <summary>
    /// The Canvas course id (what the REST API uses), from the launch's <c>canvas_course_id</c> custom parameter
    /// ($Canvas.course.id); null for a course of another LMS, or of a Canvas whose launches do not substitute it.
    /// </summary>
    public long? CanvasCourseId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A person's roles in a course, as of their latest launch.</summary>
public sealed class Enrollment
{
    public Guid PersonId { get; set; }

    public Guid CourseId { get; set; }

    /// <summary>The LTI role URIs as sent, space separated, kept for audit.</summary>
    public required string LtiRoles { get; set; }

    public ProductRoles Roles { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
