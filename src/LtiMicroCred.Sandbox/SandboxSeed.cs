namespace LtiMicroCred.Sandbox;

/// <summary>
/// The district, courses and people of the sandbox. Ids are stable because tests and bookmarks use them.
/// </summary>
internal static class SandboxSeed
{
    public const string DistrictName = "Sandbox Unified School District";
    public const string MicrocredentialCourseId = "course-mc-1";

    // A fixed guid, so the tool sees the same platform instance across restarts.
    public const string PlatformGuid = "3f6d2a5e-8b1c-4e0f-9a7d-5c2b1e4f6a80";

    private const string LincolnElementary = "Lincoln Elementary";
    private const string LincolnCanvasAccountId = "101";

    public static IReadOnlyList<SandboxCourse> Courses { get; } =
    [
        new(MicrocredentialCourseId, "Educator Microcredentials 2026-27", "MC-2026-27"),
        new("course-pd-1", "PD Course: In-service Hours", "PD-INSERVICE"),
    ];

    public static IReadOnlyList<SandboxPerson> People { get; } =
    [
        new("teacher-ada", "Ada Okafor", "Ada", "Okafor", "ada.okafor@sandbox-usd.example",
            [SandboxLtiRoles.Learner, SandboxLtiRoles.Faculty],
            "Teacher at Lincoln Elementary, working toward a microcredential (course learner, faculty)."),
        new("teacher-ben", "Ben Castillo", "Ben", "Castillo", "ben.castillo@sandbox-usd.example",
            [SandboxLtiRoles.Learner, SandboxLtiRoles.TeachingAssistant, SandboxLtiRoles.Faculty],
            "Teacher at Lincoln Elementary who reviews a colleague's evidence as a peer (course learner and teaching assistant, faculty)."),
        new("principal-carla", "Carla Nguyen", "Carla", "Nguyen", "carla.nguyen@sandbox-usd.example",
            [SandboxLtiRoles.CourseAdministrator, SandboxLtiRoles.Staff],
            "Principal of Lincoln Elementary, who approves her teachers' microcredentials (course administrator, staff)."),
        new("admin-dev", "Dev Patel", "Dev", "Patel", "dev.patel@sandbox-usd.example",
            [SandboxLtiRoles.Administrator, SandboxLtiRoles.Instructor],
            "District administrator for every school (institution administrator, course instructor)."),
    ];

    /// <summary>
    /// The custom parameters an LMS admin would configure for the person's school. District staff belong to no
    /// school, so they get none: the tool must cope with a launch that names no school.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CustomParametersFor(SandboxPerson person) =>
        person.Id == "admin-dev"
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["school_name"] = LincolnElementary,
                ["canvas_account_id"] = LincolnCanvasAccountId,
            };
}
