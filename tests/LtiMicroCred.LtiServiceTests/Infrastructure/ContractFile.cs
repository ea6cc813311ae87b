using System.Text.Json.Nodes;
using WireMock.ResponseBuilders;

namespace LtiMicroCred.LtiServiceTests.Infrastructure;

/// <summary>
/// One file of the shared Canvas contract (copied into Contract/), with Canvas's example host
/// <c>https://canvas.example.edu</c> swapped for the stub's address.
/// </summary>
internal sealed class ContractFile
{
    public const string ContractHost = "https://canvas.example.edu";

    private readonly JsonObject _root;

    private ContractFile(string name, JsonObject root)
    {
        Name = name;
        _root = root;
    }

    public string Name { get; }

    public string Method => (string)_root["method"]!;

    public JsonObject Root => (JsonObject)_root.DeepClone();

    public JsonNode? RequestBody => _root["request_body"]?.DeepClone();

    public ContractResponse Response => Read(_root, null);

    /// <summary>The file as written, host unchanged (golden round trips compare against it).</summary>
    public static ContractFile Load(string prefix) => Load(prefix, null);

    /// <summary>The file with every <c>https://canvas.example.edu</c> turned into <paramref name="baseUrl"/>.</summary>
    public static ContractFile Load(string prefix, string? baseUrl)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "Contract");
        var file = Directory.GetFiles(dir, prefix + "_*.json").Single();
        var text = File.ReadAllText(file);
        if (baseUrl is not null)
        {
            text = text.Replace(ContractHost, baseUrl.TrimEnd('/'), StringComparison.Ordinal);
        }

        return new ContractFile(Path.GetFileName(file), (JsonObject)JsonNode.Parse(text)!);
    }

    /// <summary>A variant's answer: its own status, headers and body where it has them, the main answer's otherwise.</summary>
    public ContractResponse Variant(string name)
    {
        var variant = _root["variants"]?[name] as JsonObject ?? throw new InvalidOperationException($"{Name} has no variant {name}.");
        return Read(variant, Response);
    }

    public JsonNode? VariantNode(string name, string property) => _root["variants"]?[name]?[property]?.DeepClone();

    private static ContractResponse Read(JsonObject node, ContractResponse? fallback)
    {
        var status = node["response_status"] is { } s ? (int)s : fallback?.Status ?? throw new InvalidOperationException("No response_status.");
        var headers = node["response_headers"] is JsonObject h
            ? h.ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.OrdinalIgnoreCase)
            : fallback?.Headers.ToDictionary(StringComparer.OrdinalIgnoreCase) ?? [];
        var body = node.ContainsKey("response_body") ? node["response_body"]?.DeepClone() : fallback?.Body?.DeepClone();
        return new ContractResponse(status, headers, body);
    }
}

/// <summary>An answer of the contract, to be served by WireMock as is or with a change.</summary>
internal sealed record ContractResponse(int Status, IReadOnlyDictionary<string, string> Headers, JsonNode? Body)
{
    public ContractResponse WithHeader(string name, string value)
    {
        var headers = Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToDictionary(StringComparer.OrdinalIgnoreCase);
        headers[name] = value;
        return this with { Headers = headers };
    }

    public ContractResponse WithoutHeader(string name) =>
        this with { Headers = Headers.Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).ToDictionary(StringComparer.OrdinalIgnoreCase) };

    public ContractResponse WithBody(JsonNode? body) => this with { Body = body };

    public ContractResponse WithStatus(int status) => this with { Status = status };

    /// <summary>Status, headers and body (a JSON string value is sent as plain text, JSON null as no body).</summary>
    public IResponseBuilder ToResponse()
    {
        var response = WireMock.ResponseBuilders.Response.Create().WithStatusCode(Status);
        foreach (var (name, value) in Headers)
        {
            response = response.WithHeader(name, value);
        }

        return Body switch
        {
            null => response,
            JsonValue v when v.TryGetValue<string>(out var text) => response.WithBody(text),
            _ => response.WithBody(Body.ToJsonString()),
        };
    }
}
