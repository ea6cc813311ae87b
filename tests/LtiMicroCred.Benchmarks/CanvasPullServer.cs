using System.Globalization;
using System.Net;
using System.Text.Json;
using LtiMicroCred.Canvas.Models;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;
using WireMock.Types;
using WireMock.Util;

namespace LtiMicroCred.Benchmarks;

/// <summary>
/// A Canvas stand-in for the pull benchmark: one assignment's submissions, 100 to a page, each with the files its
/// student group handed in, and every answer held back by a fixed latency as a remote Canvas would. Pages and files
/// are generated on request (nothing large is kept), so the process's memory figures are mostly the client's.
/// <para>
/// The data is shaped so that skipping repeats matters: the three members of a group share one attachment (same file
/// id), each submission's history repeats its current attachment, and every fifth group handed in the district's
/// rubric template, the same bytes under a different file id.
/// </para>
/// </summary>
internal sealed class CanvasPullServer : IDisposable
{
    public const long CourseId = 4321;
    public const long AssignmentId = 987;
    public const int PageSize = 100;
    private const int GroupSize = 3;
    private const long FirstFileId = 800_000;
    private const string SubmissionsPath = "/api/v1/courses/4321/assignments/987/submissions";
    private const string Includes = "include%5B%5D=submission_history&include%5B%5D=submission_comments&include%5B%5D=user";

    private readonly WireMockServer _server;
    private readonly int _submissions;
    private readonly TimeSpan _latency;
    private long _pageRequests;
    private long _fileRequests;
    private long _unexpectedRequests;
    private long _bytesServed;

    public CanvasPullServer(int submissions, TimeSpan latency)
    {
        _submissions = submissions;
        _latency = latency;

        // No request log: 5,000 logged requests would weigh on the very memory figures being measured.
        _server = WireMockServer.Start(new WireMockServerSettings { MaxRequestLogCount = 0, StartAdminInterface = false });
        _server.Given(Request.Create().UsingGet().WithPath(SubmissionsPath))
            .RespondWith(Response.Create().WithCallback(ServePageAsync));
        _server.Given(Request.Create().UsingGet().WithPath(new WireMock.Matchers.RegexMatcher("^/files/[0-9]+/download$")))
            .RespondWith(Response.Create().WithCallback(ServeFileAsync));
        _server.Given(Request.Create().UsingAnyMethod()).AtPriority(int.MaxValue)
            .RespondWith(Response.Create().WithCallback(_ =>
            {
                Interlocked.Increment(ref _unexpectedRequests);
                return new ResponseMessage { StatusCode = 599 };
            }));
    }

    public Uri BaseUrl => new(_server.Url!);

    public long PageRequests => Interlocked.Read(ref _pageRequests);

    public long FileRequests => Interlocked.Read(ref _fileRequests);

    public long UnexpectedRequests => Interlocked.Read(ref _unexpectedRequests);

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public int Pages => (_submissions + PageSize - 1) / PageSize;

    /// <summary>File ids the submissions refer to, each once: one per student group.</summary>
    public int DistinctFileIds => (_submissions + GroupSize - 1) / GroupSize;

    /// <summary>Distinct file contents: every fifth group's file is the shared rubric template.</summary>
    public int DistinctContents
    {
        get
        {
            var templates = Enumerable.Range(0, DistinctFileIds).Count(IsTemplate);
            return DistinctFileIds - templates + (templates > 0 ? 1 : 0);
        }
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private static bool IsTemplate(int group) => group % 5 == 4;

    private async Task<IResponseMessage> ServePageAsync(IRequestMessage request)
    {
        Interlocked.Increment(ref _pageRequests);
        await Task.Delay(_latency);
        var page = request.Query is { } query && query.TryGetValue("page", out var values)
            ? int.Parse(values[0], CultureInfo.InvariantCulture)
            : 1;
        var first = (page - 1) * PageSize;
        var items = Enumerable.Range(first, Math.Max(0, Math.Min(PageSize, _submissions - first))).Select(BuildSubmission).ToList();
        var body = JsonSerializer.SerializeToUtf8Bytes(items, CanvasJson.Options);

        var response = Bytes(body, "application/json; charset=utf-8");
        response.AddHeader("X-Request-Cost", "0.0871");
        var links = new List<string> { $"<{PageUrl(page)}>; rel=\"current\"", $"<{PageUrl(1)}>; rel=\"first\"", $"<{PageUrl(Pages)}>; rel=\"last\"" };
        if (page < Pages)
        {
            links.Add($"<{PageUrl(page + 1)}>; rel=\"next\"");
        }

        response.AddHeader("Link", string.Join(",", links));
        return response;
    }

    private async Task<IResponseMessage> ServeFileAsync(IRequestMessage request)
    {
        Interlocked.Increment(ref _fileRequests);
        await Task.Delay(_latency);
        var id = long.Parse(request.PathSegments[1], CultureInfo.InvariantCulture);
        var content = FileContent((int)(id - FirstFileId));
        Interlocked.Add(ref _bytesServed, content.Length);
        return Bytes(content, "application/pdf");
    }

    private string PageUrl(int page) =>
        string.Create(CultureInfo.InvariantCulture, $"{_server.Url}{SubmissionsPath}?{Includes}&page={page}&per_page={PageSize}");

    private Submission BuildSubmission(int index)
    {
        var group = index / GroupSize;
        var userId = 100_000L + index;
        var submittedAt = new DateTimeOffset(2025, 3, 14, 12, 0, 0, TimeSpan.Zero).AddMinutes(index);
        var attachment = BuildFile(group, submittedAt);
        var current = new Submission
        {
            Id = 5_000_000L + index,
            UserId = userId,
            AssignmentId = AssignmentId,
            Attempt = 2,
            SubmissionType = "online_upload",
            SubmittedAt = submittedAt,
            WorkflowState = "submitted",
            Late = false,
            Missing = false,
            SecondsLate = 0,
            PreviewUrl = string.Create(CultureInfo.InvariantCulture, $"{_server.Url}/courses/{CourseId}/assignments/{AssignmentId}/submissions/{userId}?preview=1&version=2"),
            Attachments = [attachment],
        };
        return current with
        {
            SubmissionHistory = [current with { Attempt = 1, SubmittedAt = submittedAt.AddDays(-2), Attachments = [] }, current],
            SubmissionComments =
            [
                new SubmissionComment { Id = 9_000_000L + index, AuthorId = 5001, AuthorName = "Dana Whitfield", Comment = "Please cite your sources.", CreatedAt = submittedAt.AddHours(5) },
            ],
            User = new CanvasUser
            {
                Id = userId,
                Name = string.Create(CultureInfo.InvariantCulture, $"Student {index:00000}"),
                SortableName = string.Create(CultureInfo.InvariantCulture, $"{index:00000}, Student"),
                ShortName = string.Create(CultureInfo.InvariantCulture, $"Student {index:00000}"),
                SisUserId = string.Create(CultureInfo.InvariantCulture, $"STU-{userId}"),
                LoginId = string.Create(CultureInfo.InvariantCulture, $"s{userId}"),
            },
        };
    }

    private CanvasFile BuildFile(int group, DateTimeOffset uploadedAt)
    {
        var id = FirstFileId + group;
        return new CanvasFile
        {
            Id = id,
            Uuid = string.Create(CultureInfo.InvariantCulture, $"uuid{id}"),
            DisplayName = IsTemplate(group) ? "Rubric template.pdf" : string.Create(CultureInfo.InvariantCulture, $"Group {group} essay.pdf"),
            Filename = string.Create(CultureInfo.InvariantCulture, $"file{id}.pdf"),
            ContentType = "application/pdf",
            Url = string.Create(CultureInfo.InvariantCulture, $"{_server.Url}/files/{id}/download?download_frd=1&verifier=v{id}"),
            Size = FileSize(group),
            CreatedAt = uploadedAt,
            UpdatedAt = uploadedAt,
            MimeClass = "pdf",
            Locked = false,
            Hidden = false,
        };
    }

    // 4-24 KB of bytes fixed by the group, or the one template everyone shares.
    private static byte[] FileContent(int group)
    {
        var random = new Random(Seed(group));
        var content = new byte[4096 + random.Next(20 * 1024)];
        random.NextBytes(content);
        return content;
    }

    private static int FileSize(int group) => 4096 + new Random(Seed(group)).Next(20 * 1024);

    private static int Seed(int group) => IsTemplate(group) ? int.MaxValue : group;

    private static ResponseMessage Bytes(byte[] body, string contentType)
    {
        var response = new ResponseMessage
        {
            StatusCode = (int)HttpStatusCode.OK,
            BodyData = new BodyData { BodyAsBytes = body, DetectedBodyType = BodyType.Bytes },
        };
        response.AddHeader("Content-Type", contentType);
        return response;
    }
}
