using System.Text;
using LtiMicroCred.Sandbox.Store;

namespace LtiMicroCred.Sandbox;

/// <summary>
/// The district, courses, people and course work of the sandbox. Ids are stable because tests and bookmarks use them;
/// dates are relative to the start, so "submitted last week" stays true whenever the sandbox runs.
/// </summary>
internal static class SandboxSeed
{
    public const string DistrictName = "Sandbox Unified School District";
    public const string MicrocredentialCourseId = "course-mc-1";
    public const string PdCourseId = "course-pd-1";

    // A fixed guid, so the tool sees the same platform instance across restarts.
    public const string PlatformGuid = "3f6d2a5e-8b1c-4e0f-9a7d-5c2b1e4f6a80";

    /// <summary>The title of the resource link every course starts with: the tool in the course navigation.</summary>
    public const string DefaultResourceLinkTitle = "Microcredentials";

    public const long LessonPlanAssignmentId = 1101;
    public const long WorkSamplesAssignmentId = 1102;
    public const long ReflectionAssignmentId = 1103;
    public const long InServiceLogAssignmentId = 1201;

    private const string LincolnElementary = "Lincoln Elementary";
    private const string LincolnCanvasAccountId = "101";
    private const long FolderId = 88001;

    public static IReadOnlyList<SandboxCourse> Courses { get; } =
    [
        new(MicrocredentialCourseId, "Educator Microcredentials 2026-27", "MC-2026-27") { CanvasId = 4321 },
        new(PdCourseId, "PD Course: In-service Hours", "PD-INSERVICE") { CanvasId = 4322 },
    ];

    public static IReadOnlyList<SandboxPerson> People { get; } =
    [
        new("teacher-ada", "Ada Okafor", "Ada", "Okafor", "ada.okafor@sandbox-usd.example",
            [SandboxLtiRoles.Learner, SandboxLtiRoles.Faculty],
            "Teacher at Lincoln Elementary, working toward a microcredential (course learner, faculty).") { CanvasId = 7001 },
        new("teacher-ben", "Ben Castillo", "Ben", "Castillo", "ben.castillo@sandbox-usd.example",
            [SandboxLtiRoles.Learner, SandboxLtiRoles.TeachingAssistant, SandboxLtiRoles.Faculty],
            "Teacher at Lincoln Elementary who reviews a colleague's evidence as a peer (course learner and teaching assistant, faculty).") { CanvasId = 7002 },
        new("principal-carla", "Carla Nguyen", "Carla", "Nguyen", "carla.nguyen@sandbox-usd.example",
            [SandboxLtiRoles.CourseAdministrator, SandboxLtiRoles.Staff],
            "Principal of Lincoln Elementary, who approves her teachers' microcredentials (course administrator, staff).") { CanvasId = 5001 },
        new("admin-dev", "Dev Patel", "Dev", "Patel", "dev.patel@sandbox-usd.example",
            [SandboxLtiRoles.Administrator, SandboxLtiRoles.Instructor],
            "District administrator for every school (institution administrator, course instructor).") { CanvasId = 5002 },
    ];

    /// <summary>The id of a course's seeded resource link, kept from the first sandbox so tools see the same link.</summary>
    public static string DefaultResourceLinkId(SandboxCourse course) => "rl-" + course.Id;

    /// <summary>
    /// The custom parameters an LMS admin would configure for the person's school. District staff belong to no
    /// school, so they get no school: the tool must cope with a launch that names none.
    /// </summary>
    public static IReadOnlyDictionary<string, string> CustomParametersFor(SandboxPerson person) =>
        person.Id == "admin-dev"
            ? new Dictionary<string, string>(StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["school_name"] = LincolnElementary,
                ["canvas_account_id"] = LincolnCanvasAccountId,
            };

    /// <summary>What Canvas's $Canvas.course.id and $Canvas.user.id substitutions give, for every launch.</summary>
    public static IReadOnlyDictionary<string, string> CanvasSubstitutionsFor(SandboxPerson person, SandboxCourse course) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["canvas_course_id"] = course.CanvasId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["canvas_user_id"] = person.CanvasId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    /// <summary>Fills a new store: each course's resource link, the microcredential course's evidence assignments and
    /// the two teachers' submissions, with attempts, files and comments.</summary>
    public static void Populate(SandboxStore store, DateTimeOffset now)
    {
        foreach (var course in Courses)
        {
            store.AddResourceLink(new SandboxResourceLink(DefaultResourceLinkId(course), course.Id, DefaultResourceLinkTitle,
                null, null, new Dictionary<string, string>(StringComparer.Ordinal), null, Seeded: true));
        }

        var ada = People[0];
        var ben = People[1];
        var carla = People[2];
        var start = now.AddDays(-40);

        store.AddAssignment(new SandboxAssignment(LessonPlanAssignmentId, MicrocredentialCourseId, "Evidence 1: Lesson plan",
            "<p>Upload the lesson plan you taught for this microcredential.</p>", 10, ["online_upload"], ["pdf", "txt", "docx"], 1,
            start, now.AddDays(-12)));
        store.AddAssignment(new SandboxAssignment(WorkSamplesAssignmentId, MicrocredentialCourseId, "Evidence 2: Student work samples",
            "<p>Share three samples of student work, as files or as a link to a shared folder.</p>", 10, ["online_upload", "online_url"], [], 2,
            start, now.AddDays(14)));
        store.AddAssignment(new SandboxAssignment(ReflectionAssignmentId, MicrocredentialCourseId, "Reflection",
            "<p>Reflect on what changed in your classroom.</p>", 5, ["online_text_entry"], [], 3, start, null));
        store.AddAssignment(new SandboxAssignment(InServiceLogAssignmentId, PdCourseId, "In-service hours log",
            "<p>Log the hours of professional development you completed.</p>", 0, ["online_text_entry"], [], 1, start, null));

        foreach (var assignment in Courses.SelectMany(c => store.Assignments(c.Id)))
        {
            foreach (var student in People.Where(p => p.IsStudent))
            {
                store.EnsureSubmission(assignment.Id, student.CanvasId);
            }
        }

        // Ada: a draft, then the final plan with notes; graded by her principal.
        var draft = TextFile(store, ada, "Lesson plan draft - Okafor.txt", now.AddDays(-20),
            "Lesson plan (draft)\nGrade 4 fractions: equivalent fractions with fraction strips.\n");
        store.Submit(LessonPlanAssignmentId, ada.CanvasId, new SandboxAttempt(0, "online_upload", now.AddDays(-20), null, null, [draft.Id]));
        var plan = store.AddFile(new SandboxFile(0, Verifier(), FolderId, "Lesson plan - Okafor.pdf", "application/pdf", MinimalPdf(),
            now.AddDays(-15), ada.CanvasId, MicrocredentialCourseId));
        var notes = TextFile(store, ada, "Lesson plan notes - Okafor.txt", now.AddDays(-15),
            "Notes: warm-up 5 min, strips 20 min, exit ticket 5 min.\n");
        store.Submit(LessonPlanAssignmentId, ada.CanvasId, new SandboxAttempt(0, "online_upload", now.AddDays(-15), null, null, [plan.Id, notes.Id]));
        store.Grade(LessonPlanAssignmentId, ada.CanvasId, new SandboxGrade(9, "9", now.AddDays(-10), carla.CanvasId, 2));
        store.AddComment(LessonPlanAssignmentId, ada.CanvasId, new SandboxComment(0, carla.CanvasId,
            "Clear objectives. Add how you will check for understanding.", now.AddDays(-10), 2));

        // Ben: one upload, reviewed by Ada as his peer.
        var bensPlan = TextFile(store, ben, "Lesson plan - Castillo.txt", now.AddDays(-14),
            "Lesson plan\nGrade 5 science: the water cycle in a bag.\n");
        store.Submit(LessonPlanAssignmentId, ben.CanvasId, new SandboxAttempt(0, "online_upload", now.AddDays(-14), null, null, [bensPlan.Id]));
        store.AddComment(LessonPlanAssignmentId, ben.CanvasId, new SandboxComment(0, ada.CanvasId,
            "Peer review: the warm-up works well; the exit ticket needs a rubric.", now.AddDays(-12), 1));

        store.Submit(WorkSamplesAssignmentId, ada.CanvasId, new SandboxAttempt(0, "online_url", now.AddDays(-9),
            "https://example.org/sandbox-usd/okafor/student-work-samples", null, []));

        store.Submit(ReflectionAssignmentId, ada.CanvasId, new SandboxAttempt(0, "online_text_entry", now.AddDays(-5), null,
            "<p>My students explained their thinking more once they could hold the fraction strips.</p>", []));
        store.Submit(ReflectionAssignmentId, ben.CanvasId, new SandboxAttempt(0, "online_text_entry", now.AddDays(-6), null,
            "<p>The bag experiment made evaporation visible.</p>", []));
        store.Submit(ReflectionAssignmentId, ben.CanvasId, new SandboxAttempt(0, "online_text_entry", now.AddDays(-4), null,
            "<p>The bag experiment made evaporation visible, and my English learners used the new words in their journals.</p>", []));
        store.AddComment(ReflectionAssignmentId, ben.CanvasId, new SandboxComment(0, carla.CanvasId,
            "Thank you; the journal evidence is convincing.", now.AddDays(-3), 2));

        store.AddColumn(new SandboxCustomColumn(0, MicrocredentialCourseId, "Notes", 1, Hidden: false, TeacherNotes: true, ReadOnly: false));
    }

    private static SandboxFile TextFile(SandboxStore store, SandboxPerson owner, string name, DateTimeOffset at, string text) =>
        store.AddFile(new SandboxFile(0, Verifier(), FolderId, name, "text/plain", Encoding.UTF8.GetBytes(text), at, owner.CanvasId,
            MicrocredentialCourseId));

    private static string Verifier() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

    // A one-page document with no text: enough for a viewer to recognise it as a PDF.
    private static byte[] MinimalPdf() => Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
}
