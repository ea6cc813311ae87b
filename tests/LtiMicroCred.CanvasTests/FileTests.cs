using System.Security.Cryptography;
using LtiMicroCred.Canvas;
using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock.ResponseBuilders;

namespace LtiMicroCred.CanvasTests;

public sealed class FileTests : IDisposable
{
    private const string FilePath = "/api/v1/files/240551";
    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    private readonly CanvasHarness _h = new();
    private readonly CanvasStub _store = new();
    private readonly ContractFile _file = ContractFile.Load("07b_rest_file_show");
    private readonly string _folder = Directory.CreateTempSubdirectory("canvas-tests-").FullName;
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(48213);

    [Fact]
    public async Task GetFile_ReadsTheMetadata()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(_file.Response(_h.Canvas.CanvasUrl));

        var file = await _h.Teacher.GetFileAsync(240551);

        var request = Assert.Single(_h.Canvas.Requests);
        Assert.Equal("Bearer token-1", CanvasStub.Header(request, "Authorization"));
        Assert.Equal("Essay 1 - Raman.docx", file.DisplayName);
        Assert.Equal(DocxType, file.ContentType);
        Assert.Equal(48213, file.Size);
        Assert.Equal(88012, file.FolderId);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 21, 5, 10, TimeSpan.Zero), file.ModifiedAt);
    }

    [Fact]
    public async Task DownloadFile_FollowsTheRedirectToTheFileStore_WithoutSendingTheBearerToken()
    {
        StubMetadata();
        StubCanvasRedirect();
        _store.Server.Given(_store.Expect("GET", "/blobs/Xk2pQ9rT").WithParam("sig", "s1gn4ture"))
            .RespondWith(Response.Create().WithHeader("Content-Type", DocxType).WithBody(_content));
        var path = Path.Combine(_folder, "essay.docx");

        var file = await _h.Teacher.GetFileAsync(240551);
        var download = await _h.Teacher.DownloadFileAsync(file, path);

        Assert.Equal(_content, await File.ReadAllBytesAsync(path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_content)), download.Sha256Hex);
        Assert.Equal(_content.Length, download.Length);
        Assert.Equal(DocxType, download.ContentType);
        var canvasDownload = Assert.Single(_h.Canvas.RequestsTo("/files/240551/download"));
        Assert.Equal("Bearer token-1", CanvasStub.Header(canvasDownload, "Authorization"));
        Assert.Equal(["1"], CanvasStub.Query(canvasDownload, "download_frd"));
        var storeRequest = Assert.Single(_store.Requests);
        Assert.Null(CanvasStub.Header(storeRequest, "Authorization"));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task DownloadFile_UrlOnAnotherHost_GetsNoToken()
    {
        _store.Server.Given(_store.Expect("GET", "/files/240551/download")).RespondWith(Response.Create().WithBody(_content));
        using var destination = new MemoryStream();

        var download = await _h.Teacher.DownloadFileAsync(new Uri(_store.CanvasUrl + "/files/240551/download?verifier=abc"), destination);

        Assert.Equal(_content, destination.ToArray());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_content)), download.Sha256Hex);
        Assert.Null(CanvasStub.Header(Assert.Single(_store.Requests), "Authorization"));
        Assert.Empty(_h.Tokens.Requests);
    }

    [Fact]
    public async Task DownloadFile_ContentLengthOverTheCap_IsRefusedBeforeReading_NothingLeftOnDisk()
    {
        _h.Options.MaxDownloadBytes = 10_000;
        using var store = new RawHttpServer(resetFirst: 0, _content, DocxType);
        var path = Path.Combine(_folder, "essay.docx");

        var error = await Assert.ThrowsAsync<CanvasFileTooLargeException>(() =>
            _h.Teacher.DownloadFileAsync(new Uri(store.Url + "/blobs/Xk2pQ9rT"), path));

        Assert.Equal(10_000, error.LimitBytes);
        Assert.Equal(_content.Length, error.DeclaredBytes);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
        Assert.Equal(1, store.Connections);
    }

    [Fact]
    public async Task DownloadFile_ChunkedBodyCrossingTheCap_IsRefusedMidStream_NothingLeftOnDisk()
    {
        _h.Options.MaxDownloadBytes = 10_000;
        StubCanvasRedirect();

        // WireMock sends a byte body chunked, without Content-Length: the cap is only noticed while streaming.
        _store.Server.Given(_store.Expect("GET", "/blobs/Xk2pQ9rT")).RespondWith(Response.Create().WithBody(_content));
        var path = Path.Combine(_folder, "essay.docx");

        var error = await Assert.ThrowsAsync<CanvasFileTooLargeException>(() =>
            _h.Teacher.DownloadFileAsync(new Uri(FileUrl()), path));

        Assert.Null(error.DeclaredBytes);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
        Assert.Single(_store.Requests);
    }

    [Fact]
    public async Task DownloadFile_MetadataSizeOverTheCap_IsRefusedBeforeAnyDownload()
    {
        _h.Options.MaxDownloadBytes = 10_000;
        StubMetadata();
        var file = await _h.Teacher.GetFileAsync(240551);

        var error = await Assert.ThrowsAsync<CanvasFileTooLargeException>(() =>
            _h.Teacher.DownloadFileAsync(file, Path.Combine(_folder, "essay.docx")));

        Assert.Equal(48213, error.DeclaredBytes);
        Assert.Single(_h.Canvas.Requests);
        Assert.Empty(_store.Requests);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    [Fact]
    public async Task DownloadFile_OverTheCapIntoASeekableStream_CutsTheStreamBack()
    {
        _h.Options.MaxDownloadBytes = 10_000;
        _store.Server.Given(_store.Expect("GET", "/blobs/Xk2pQ9rT")).RespondWith(Response.Create().WithBody(_content));
        using var destination = new MemoryStream();
        destination.Write([1, 2, 3]);

        await Assert.ThrowsAsync<CanvasFileTooLargeException>(() =>
            _h.Teacher.DownloadFileAsync(new Uri(_store.CanvasUrl + "/blobs/Xk2pQ9rT"), destination));

        Assert.Equal([1, 2, 3], destination.ToArray());
    }

    [Fact]
    public async Task DownloadFile_StoreFailsOnce_RetriesAndHashesOnlyTheGoodCopy()
    {
        _store.Server.Given(_store.Expect("GET", "/blobs/Xk2pQ9rT")).InScenario("store").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503));
        _store.Server.Given(_store.Expect("GET", "/blobs/Xk2pQ9rT")).InScenario("store").WhenStateIs("up")
            .RespondWith(Response.Create().WithBody(_content));
        var path = Path.Combine(_folder, "essay.docx");

        var download = await _h.Teacher.DownloadFileAsync(new Uri(_store.CanvasUrl + "/blobs/Xk2pQ9rT"), path);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_content)), download.Sha256Hex);
        Assert.Equal(_content, await File.ReadAllBytesAsync(path));
        Assert.Equal(2, _store.Requests.Count);
    }

    [Fact]
    public async Task DownloadFile_NotFoundAtTheStore_FailsAndLeavesNothing()
    {
        StubCanvasRedirect();
        _store.Server.Given(_store.Expect("GET", "/blobs/Xk2pQ9rT")).RespondWith(Response.Create().WithStatusCode(404).WithBody("gone"));
        var path = Path.Combine(_folder, "essay.docx");

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Teacher.DownloadFileAsync(new Uri(FileUrl()), path));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("/...", error.Path);
        Assert.Empty(Directory.GetFileSystemEntries(_folder));
    }

    private string FileUrl() => _file.ResponseBodyNode(_h.Canvas.CanvasUrl)["url"]!.GetValue<string>();

    private void StubMetadata() =>
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(_file.Response(_h.Canvas.CanvasUrl));

    // Canvas serves /files/:id/download by redirecting to its file store, on another host, with a signed URL.
    private void StubCanvasRedirect() =>
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", "/files/240551/download").WithParam("verifier", "Xk2pQ9rT7vW1yZ3aB5cD7eF9gH1jK3mN5pQ7rS9t"))
            .RespondWith(Response.Create().WithStatusCode(302).WithHeader("Location", _store.CanvasUrl + "/blobs/Xk2pQ9rT?sig=s1gn4ture"));

    public void Dispose()
    {
        try
        {
            _store.AssertNoUnexpectedRequests();
        }
        finally
        {
            _store.Dispose();
            _h.Dispose();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
