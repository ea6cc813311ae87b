using System.Globalization;
using System.Text.Json.Nodes;
using LtiMicroCred.Sandbox.Http;
using LtiMicroCred.Sandbox.Nrps;
using LtiMicroCred.Sandbox.Store;

namespace LtiMicroCred.Sandbox.Rest;

/// <summary>
/// Canvas REST shapes (Assignment, Submission, File, SubmissionComment, User, CustomColumn), with every member
/// written, nulls included, as Canvas's API serializers do.
/// </summary>
internal sealed class SandboxCanvasJson(SandboxLms lms, SandboxStore store, TimeProvider timeProvider)
{
    [Flags]
    public enum Includes
    {
        None = 0,
        History = 1,
        Comments = 2,
        User = 4,
    }

    public static Includes ReadIncludes(IEnumerable<string?> values)
    {
        var includes = Includes.None;
        foreach (var value in values)
        {
            includes |= value switch
            {
                "submission_history" => Includes.History,
                "submission_comments" => Includes.Comments,
                "user" => Includes.User,
                _ => Includes.None,
            };
        }

        return includes;
    }

    public JsonObject Assignment(SandboxCourse course, SandboxAssignment assignment)
    {
        var submissions = store.Submissions(assignment.Id);
        var htmlUrl = AssignmentPageUrl(course, assignment);
        return SandboxJson.Full(
            ("id", assignment.Id),
            ("name", assignment.Name),
            ("description", assignment.Description),
            ("created_at", SandboxJson.Time(assignment.CreatedAt)),
            ("updated_at", SandboxJson.Time(assignment.CreatedAt)),
            ("due_at", SandboxJson.Time(assignment.DueAt)),
            ("lock_at", null),
            ("unlock_at", null),
            ("has_overrides", false),
            ("course_id", course.CanvasId),
            ("html_url", htmlUrl),
            ("submissions_download_url", htmlUrl + "?zip=1"),
            ("assignment_group_id", 1201),
            ("due_date_required", false),
            ("allowed_extensions", SandboxJson.Strings(assignment.AllowedExtensions)),
            ("max_name_length", 255),
            ("grade_group_students_individually", false),
            ("peer_reviews", false),
            ("automatic_peer_reviews", false),
            ("intra_group_peer_reviews", false),
            ("group_category_id", null),
            ("needs_grading_count", submissions.Count(s => s.Current is not null && s.Grade?.Attempt != s.Current.Number)),
            ("position", assignment.Position),
            ("post_to_sis", false),
            ("integration_id", null),
            ("integration_data", new JsonObject()),
            ("points_possible", assignment.PointsPossible),
            ("submission_types", SandboxJson.Strings(assignment.SubmissionTypes)),
            ("has_submitted_submissions", submissions.Any(s => s.Current is not null)),
            ("grading_type", "points"),
            ("grading_standard_id", null),
            ("published", true),
            ("unpublishable", !submissions.Any(s => s.Current is not null)),
            ("only_visible_to_overrides", false),
            ("locked_for_user", false),
            ("omit_from_final_grade", false),
            ("hide_in_gradebook", false),
            ("moderated_grading", false),
            ("grader_count", 0),
            ("final_grader_id", null),
            ("grader_comments_visible_to_graders", true),
            ("graders_anonymous_to_graders", false),
            ("grader_names_visible_to_final_grader", true),
            ("anonymous_grading", false),
            ("allowed_attempts", -1),
            ("post_manually", false),
            ("anonymous_peer_reviews", false),
            ("anonymous_instructor_annotations", false),
            ("graded_submissions_exist", submissions.Any(s => s.Grade is not null)),
            ("is_quiz_assignment", false),
            ("in_closed_grading_period", false),
            ("can_duplicate", true),
            ("workflow_state", "published"));
    }

    public JsonObject Submission(SandboxCourse course, SandboxAssignment assignment, SandboxSubmission submission, Includes includes)
    {
        var json = Version(course, assignment, submission, submission.Current, current: true);
        json["html_url"] = SubmissionPageUrl(course, assignment, submission.UserId, null);
        json["extra_attempts"] = null;
        json["posted_at"] = SandboxJson.Time(submission.Grade?.GradedAt);
        json["redo_request"] = false;
        if (includes.HasFlag(Includes.History))
        {
            json["submission_history"] = SandboxJson.Array(submission.Attempts.Select(a => (JsonNode)Version(course, assignment, submission, a, current: false)));
        }

        if (includes.HasFlag(Includes.Comments))
        {
            json["submission_comments"] = SandboxJson.Array(submission.Comments.Select(c => (JsonNode)Comment(course, c)));
        }

        if (includes.HasFlag(Includes.User) && lms.FindPersonByCanvasId(submission.UserId) is { } person)
        {
            json["user"] = User(person);
        }

        return json;
    }

    public JsonObject File(SandboxFile file, bool withPreview)
    {
        var json = SandboxJson.Full(
            ("id", file.Id),
            ("uuid", file.Uuid),
            ("folder_id", file.FolderId),
            ("display_name", file.DisplayName),
            ("filename", file.DisplayName.Replace(' ', '+')),
            ("workflow_state", "processed"),
            ("content-type", file.ContentType),
            ("url", DownloadUrl(file)),
            ("size", file.Content.Length),
            ("created_at", SandboxJson.Time(file.CreatedAt)),
            ("updated_at", SandboxJson.Time(file.CreatedAt)),
            ("unlock_at", null),
            ("locked", false),
            ("hidden", false),
            ("lock_at", null),
            ("hidden_for_user", false),
            ("thumbnail_url", null),
            ("modified_at", SandboxJson.Time(file.CreatedAt)),
            ("mime_class", MimeClass(file.ContentType)),
            ("media_entry_id", null),
            ("locked_for_user", false));
        if (withPreview)
        {
            json["preview_url"] = lms.Root + "/files/" + file.Id.ToString(CultureInfo.InvariantCulture) + "/download?verifier=" + file.Uuid;
        }

        return json;
    }

    public JsonObject Comment(SandboxCourse course, SandboxComment comment)
    {
        var author = lms.FindPersonByCanvasId(comment.AuthorId);
        return SandboxJson.Full(
            ("id", comment.Id),
            ("author_id", comment.AuthorId),
            ("author_name", author?.Name ?? "Unknown"),
            ("author", SandboxJson.Full(
                ("id", comment.AuthorId),
                ("short_name", author?.Name ?? "Unknown"),
                ("avatar_image_url", lms.Root + SandboxAssets.AvatarPath),
                ("html_url", lms.Root + "/course/" + Uri.EscapeDataString(course.Id)))),
            ("comment", comment.Text),
            ("created_at", SandboxJson.Time(comment.CreatedAt)),
            ("edited_at", null),
            ("media_comment", null));
    }

    public JsonObject User(SandboxPerson person) =>
        SandboxJson.Full(
            ("id", person.CanvasId),
            ("name", person.Name),
            ("sortable_name", person.FamilyName + ", " + person.GivenName),
            ("last_name", person.FamilyName),
            ("first_name", person.GivenName),
            ("short_name", person.Name),
            ("sis_user_id", SandboxNrpsEndpoint.SisId(person)),
            ("integration_id", null),
            ("login_id", SandboxNrpsEndpoint.LoginId(person)),
            ("avatar_url", lms.Root + SandboxAssets.AvatarPath));

    public static JsonObject Column(SandboxCustomColumn column) =>
        SandboxJson.Full(
            ("id", column.Id),
            ("teacher_notes", column.TeacherNotes),
            ("title", column.Title),
            ("position", column.Position),
            ("hidden", column.Hidden),
            ("read_only", column.ReadOnly));

    public static JsonObject Datum(SandboxColumnDatum datum) =>
        SandboxJson.Full(("content", datum.Content), ("user_id", datum.UserId));

    public string DownloadUrl(SandboxFile file) =>
        lms.Root + "/files/" + file.Id.ToString(CultureInfo.InvariantCulture) + "/download?download_frd=1&verifier=" + file.Uuid;

    public string AssignmentPageUrl(SandboxCourse course, SandboxAssignment assignment) =>
        lms.Root + "/course/" + Uri.EscapeDataString(course.Id) + "/assignments/" + assignment.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>One version of a submission: the current one, or an entry of its history.</summary>
    private JsonObject Version(SandboxCourse course, SandboxAssignment assignment, SandboxSubmission submission, SandboxAttempt? attempt, bool current)
    {
        // The submission keeps its grade across attempts; a history entry shows it only on the attempt it was given to.
        var grade = current || submission.Grade?.Attempt == attempt?.Number ? submission.Grade : null;
        var late = attempt is not null && assignment.DueAt is { } due && attempt.SubmittedAt > due;
        var json = SandboxJson.Full(
            ("id", submission.Id),
            ("user_id", submission.UserId),
            ("assignment_id", assignment.Id),
            ("url", attempt?.Url),
            ("body", attempt?.Body),
            ("score", grade?.Score),
            ("grade", grade?.Grade),
            ("entered_score", grade?.Score),
            ("entered_grade", grade?.Grade),
            ("excused", false),
            ("attempt", attempt?.Number),
            ("submission_type", attempt?.SubmissionType),
            ("submitted_at", SandboxJson.Time(attempt?.SubmittedAt)),
            ("graded_at", SandboxJson.Time(grade?.GradedAt)),
            ("grader_id", grade?.GraderId),
            ("grade_matches_current_submission", submission.Grade is null || submission.Current is null || submission.Grade.Attempt == submission.Current.Number),
            ("workflow_state", WorkflowState(submission, attempt, current)),
            ("late_policy_status", null),
            ("points_deducted", null),
            ("late", late),
            ("missing", current && attempt is null && assignment.DueAt is { } dueAt && dueAt < timeProvider.GetUtcNow()),
            ("seconds_late", late ? (long)(attempt!.SubmittedAt - assignment.DueAt!.Value).TotalSeconds : 0),
            ("preview_url", SubmissionPageUrl(course, assignment, submission.UserId, attempt?.Number ?? 0)));
        if (attempt is { FileIds.Count: > 0 })
        {
            json["attachments"] = SandboxJson.Array(attempt.FileIds.Select(store.FindFile).OfType<SandboxFile>().Select(f => (JsonNode)File(f, withPreview: true)));
        }

        return json;
    }

    private static string WorkflowState(SandboxSubmission submission, SandboxAttempt? attempt, bool current)
    {
        if (attempt is null)
        {
            return current && submission.Grade is not null ? "graded" : "unsubmitted";
        }

        return submission.Grade?.Attempt == attempt.Number ? "graded" : "submitted";
    }

    private string SubmissionPageUrl(SandboxCourse course, SandboxAssignment assignment, long userId, int? version) =>
        AssignmentPageUrl(course, assignment) + (version is { } v ? "?preview=1&version=" + v.ToString(CultureInfo.InvariantCulture) : "") +
        "#submission-" + userId.ToString(CultureInfo.InvariantCulture);

    private static string MimeClass(string contentType) => contentType switch
    {
        "application/pdf" => "pdf",
        "text/plain" => "text",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" or "application/msword" => "doc",
        _ when contentType.StartsWith("image/", StringComparison.Ordinal) => "image",
        _ => "file",
    };
}
