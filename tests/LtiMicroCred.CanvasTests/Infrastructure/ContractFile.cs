using System.Text.Json;
using System.Text.Json.Nodes;
using WireMock.ResponseBuilders;

namespace LtiMicroCred.CanvasTests.Infrastructure;

/// <summary>
/// One file of the shared Canvas contract (copied into Contract/): the request Canvas expects and the answer it gives,
/// with the example host <c>https://canvas.example.edu</c> swapped for the stub's address.
/// </summary>
internal sealed class ContractFile
{
    public const string ContractHost = "https://canvas.example.edu";

    private readonly JsonElement _root;

    private ContractFile(string name, JsonElement root)
    {
        Name = name;
        _root = root;
    }

    public string Name { get; }

    public string Method => _root.GetProperty("method").GetString()!;

    public int ResponseStatus => _root.GetProperty("response_status").GetInt32();

    public JsonElement RequestBody => _root.GetProperty("request_body");

    public JsonElement ResponseBody => _root.GetProperty("response_body");

    public IReadOnlyDictionary<string, string> ResponseHeaders =>
        _root.GetProperty("response_headers").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.OrdinalIgnoreCase);

    public static ContractFile Load(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Contract", name + ".json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new ContractFile(name, document.RootElement.Clone());
    }

    /// <summary>The response body as Canvas would send it from <paramref name="canvasUrl"/>.</summary>
    public string ResponseBodyText(string canvasUrl) =>
        ResponseBody.ValueKind == JsonValueKind.String
            ? ResponseBody.GetString()!
            : ResponseBody.GetRawText().Replace(ContractHost, canvasUrl, StringComparison.Ordinal);

    public JsonNode ResponseBodyNode(string canvasUrl) => JsonNode.Parse(ResponseBodyText(canvasUrl))!;

    /// <summary>
    /// The contract's answer as a WireMock response. <paramref name="headers"/> adds or replaces headers (a null value
    /// removes one); <paramref name="body"/> replaces the body.
    /// </summary>
    public IResponseBuilder Response(string canvasUrl, IReadOnlyDictionary<string, string?>? headers = null, string? body = null, int? status = null)
    {
        var merged = ResponseHeaders.ToDictionary(h => h.Key, h => (string?)h.Value.Replace(ContractHost, canvasUrl, StringComparison.Ordinal), StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers ?? new Dictionary<string, string?>())
        {
            merged[name] = value;
        }

        var response = WireMock.ResponseBuilders.Response.Create().WithStatusCode(status ?? ResponseStatus);
        foreach (var (name, value) in merged)
        {
            if (value is not null)
            {
                response = response.WithHeader(name, value);
            }
        }

        return response.WithBody(body ?? ResponseBodyText(canvasUrl));
    }
}
