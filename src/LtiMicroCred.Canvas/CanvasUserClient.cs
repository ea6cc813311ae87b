using System.Globalization;
using System.Text.Json;
using LtiMicroCred.Canvas.Auth;
using LtiMicroCred.Canvas.Files;
using LtiMicroCred.Canvas.Http;
using LtiMicroCred.Canvas.Models;
using RestSharp;

namespace LtiMicroCred.Canvas;

/// <summary>
/// The Canvas REST API as one user: every request carries that user's token from the
/// <see cref="ICanvasUserTokenSource"/>. A thin view over the host's <see cref="CanvasClient"/>, which does the
/// throttling, retries and token refresh; lists stream page by page as <see cref="IAsyncEnumerable{T}"/>.
/// </summary>
public sealed class CanvasUserClient
{
    private static readonly string[] SubmissionIncludes = ["submission_history", "submission_comments", "user"];

    private readonly CanvasClient _client;

    internal CanvasUserClient(CanvasClient client, CanvasUserKey user)
    {
        _client = client;
        User = user;
    }

    public CanvasUserKey User { get; }

    /// <summary>Assignments of a course (<c>GET /api/v1/courses/:course_id/assignments</c>).</summary>
    public IAsyncEnumerable<Assignment> ListAssignmentsAsync(long courseId, CancellationToken cancellationToken = default) =>
        _client.PageAsync(User, _client.Api($"api/v1/courses/{Id(courseId)}/assignments"), null,
            CanvasJsonContext.Default.ListAssignment, cancellationToken);

    /// <summary>
    /// Every submission to an assignment with its attempt history, comments and user
    /// (<c>GET /api/v1/courses/:course_id/assignments/:assignment_id/submissions</c>). Needs a teacher's token.
    /// </summary>
    public IAsyncEnumerable<Submission> ListSubmissionsAsync(long courseId, long assignmentId, CancellationToken cancellationToken = default) =>
        _client.PageAsync(User, _client.Api($"api/v1/courses/{Id(courseId)}/assignments/{Id(assignmentId)}/submissions"), AddSubmissionIncludes,
            CanvasJsonContext.Default.ListSubmission, cancellationToken);

    /// <summary>One student's submission, addressed by the student's user id, with history, comments and user.</summary>
    public Task<Submission> GetSubmissionAsync(long courseId, long assignmentId, long userId, CancellationToken cancellationToken = default) =>
        _client.SendForJsonAsync(User, Get(SubmissionPath(courseId, assignmentId, userId), AddSubmissionIncludes),
            CanvasJsonContext.Default.Submission, cancellationToken);

    /// <summary>A file's metadata (<c>GET /api/v1/files/:id</c>), including the download <see cref="CanvasFile.Url"/>.</summary>
    public Task<CanvasFile> GetFileAsync(long fileId, CancellationToken cancellationToken = default) =>
        _client.SendForJsonAsync(User, Get($"api/v1/files/{Id(fileId)}", null), CanvasJsonContext.Default.CanvasFile, cancellationToken);

    /// <summary>
    /// Streams a file into <paramref name="destination"/>, following Canvas's redirect to its file store, and returns
    /// its length and SHA-256. A file over <see cref="CanvasClientOptions.MaxDownloadBytes"/> is refused with
    /// <see cref="CanvasFileTooLargeException"/>. On any failure a seekable destination is cut back to where it
    /// started; a non-seekable one may hold the bytes read before the failure.
    /// </summary>
    public async Task<CanvasDownload> DownloadFileAsync(Uri fileUrl, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileUrl);
        ArgumentNullException.ThrowIfNull(destination);
        using var sink = new DownloadSink(destination, _client.Options.MaxDownloadBytes);
        return await _client.DownloadAsync(User, fileUrl, sink, cancellationToken);
    }

    /// <summary>
    /// Downloads a file to <paramref name="destinationPath"/>. The bytes go to a temporary file next to it, which is
    /// moved into place only when the download is complete and within the cap; on any failure it is deleted, so the
    /// path never holds half a file. An existing file at the path is replaced.
    /// </summary>
    public async Task<CanvasDownload> DownloadFileAsync(Uri fileUrl, string destinationPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileUrl);
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        var fullPath = Path.GetFullPath(destinationPath);
        var temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.part");
        try
        {
            CanvasDownload result;
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (file)
            {
                using var sink = new DownloadSink(file, _client.Options.MaxDownloadBytes);
                result = await _client.DownloadAsync(User, fileUrl, sink, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }

            File.Move(temporary, fullPath, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Downloads a file from its metadata, refusing it before any request when Canvas's recorded size is over the cap.</summary>
    public Task<CanvasDownload> DownloadFileAsync(CanvasFile file, string destinationPath, CancellationToken cancellationToken = default)
    {
        var url = CheckDownloadable(file);
        return DownloadFileAsync(url, destinationPath, cancellationToken);
    }

    /// <summary>Downloads a file from its metadata into a stream, refusing it before any request when its recorded size is over the cap.</summary>
    public Task<CanvasDownload> DownloadFileAsync(CanvasFile file, Stream destination, CancellationToken cancellationToken = default)
    {
        var url = CheckDownloadable(file);
        return DownloadFileAsync(url, destination, cancellationToken);
    }

    /// <summary>
    /// Adds a text comment to a student's submission
    /// (<c>PUT /api/v1/courses/:course_id/assignments/:assignment_id/submissions/:user_id</c> with <c>comment[text_comment]</c>)
    /// and returns the submission with its comments. Not repeated after a 5xx or a broken connection, which could
    /// post the comment twice.
    /// </summary>
    public Task<Submission> AddSubmissionCommentAsync(long courseId, long assignmentId, long userId, SubmissionCommentDraft comment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(comment);
        ArgumentException.ThrowIfNullOrWhiteSpace(comment.TextComment);
        var body = JsonSerializer.Serialize(new SubmissionCommentEnvelope(comment), CanvasJsonContext.Default.SubmissionCommentEnvelope);
        return _client.SendForJsonAsync(User, Json(Method.Put, SubmissionPath(courseId, assignmentId, userId), body, idempotent: false),
            CanvasJsonContext.Default.Submission, cancellationToken);
    }

    /// <summary>Custom gradebook columns of a course; hidden ones only when asked for.</summary>
    public IAsyncEnumerable<CustomColumn> ListCustomColumnsAsync(long courseId, bool includeHidden = false, CancellationToken cancellationToken = default) =>
        _client.PageAsync(User, _client.Api($"api/v1/courses/{Id(courseId)}/custom_gradebook_columns"),
            includeHidden ? r => r.AddQueryParameter("include_hidden", "true") : null,
            CanvasJsonContext.Default.ListCustomColumn, cancellationToken);

    /// <summary>Creates a custom gradebook column. Not repeated after a 5xx, which could create it twice.</summary>
    public Task<CustomColumn> CreateCustomColumnAsync(long courseId, CustomColumnDefinition column, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(column);
        ArgumentException.ThrowIfNullOrWhiteSpace(column.Title, nameof(column));
        var body = JsonSerializer.Serialize(new CustomColumnEnvelope(column), CanvasJsonContext.Default.CustomColumnEnvelope);
        return _client.SendForJsonAsync(User, Json(Method.Post, $"api/v1/courses/{Id(courseId)}/custom_gradebook_columns", body, idempotent: false),
            CanvasJsonContext.Default.CustomColumn, cancellationToken);
    }

    /// <summary>Changes the set fields of a custom gradebook column.</summary>
    public Task<CustomColumn> UpdateCustomColumnAsync(long courseId, long columnId, CustomColumnDefinition changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var body = JsonSerializer.Serialize(new CustomColumnEnvelope(changes), CanvasJsonContext.Default.CustomColumnEnvelope);
        return _client.SendForJsonAsync(User, Json(Method.Put, $"api/v1/courses/{Id(courseId)}/custom_gradebook_columns/{Id(columnId)}", body, idempotent: true),
            CanvasJsonContext.Default.CustomColumn, cancellationToken);
    }

    /// <summary>Sets one student's cell in a custom column (<c>column_data[content]</c>); empty content clears it.</summary>
    public Task<ColumnDatum> SetCustomColumnDatumAsync(long courseId, long columnId, long userId, string content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var body = JsonSerializer.Serialize(new ColumnDatumEnvelope(new ColumnDatumContent(content)), CanvasJsonContext.Default.ColumnDatumEnvelope);
        return _client.SendForJsonAsync(User, Json(Method.Put, $"api/v1/courses/{Id(courseId)}/custom_gradebook_columns/{Id(columnId)}/data/{Id(userId)}", body, idempotent: true),
            CanvasJsonContext.Default.ColumnDatum, cancellationToken);
    }

    private Uri CheckDownloadable(CanvasFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (!Uri.TryCreate(file.Url, UriKind.Absolute, out var url))
        {
            throw new ArgumentException($"File {file.Id} has no absolute download URL.", nameof(file));
        }

        var limit = _client.Options.MaxDownloadBytes;
        if (file.Size is { } size && size > limit)
        {
            throw new CanvasFileTooLargeException("GET", _client.Transport.DescribePath(url), limit, size);
        }

        return url;
    }

    private static string SubmissionPath(long courseId, long assignmentId, long userId) =>
        $"api/v1/courses/{Id(courseId)}/assignments/{Id(assignmentId)}/submissions/{Id(userId)}";

    private static void AddSubmissionIncludes(RestRequest request)
    {
        foreach (var include in SubmissionIncludes)
        {
            request.AddQueryParameter("include[]", include);
        }
    }

    private CanvasCall Get(string path, Action<RestRequest>? query) =>
        new(Method.Get, _client.Api(path), r =>
        {
            query?.Invoke(r);
            r.AddHeader(KnownHeaders.Accept, "application/json");
        }, Idempotent: true, AccessToken: null);

    private CanvasCall Json(Method method, string path, string body, bool idempotent) =>
        new(method, _client.Api(path), r =>
        {
            r.AddHeader(KnownHeaders.Accept, "application/json");
            r.AddStringBody(body, ContentType.Json);
        }, idempotent, AccessToken: null);

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
