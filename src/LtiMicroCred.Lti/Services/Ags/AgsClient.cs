using System.Text.Json;
using LtiMicroCred.Lti.Platforms;

namespace LtiMicroCred.Lti.Services.Ags;

/// <summary>
/// The Assignment and Grade Services 2.0 (line items, scores, results) of one platform. URLs come from the launch's
/// AGS endpoint claim or from earlier answers, and are used as the platform wrote them: a line item URL may carry a
/// query string, so sub-resources (/scores, /results) are added to its path, before the query.
/// </summary>
public sealed class AgsClient(LtiServiceHttp http)
{
    private static readonly string[] ReadLineItems = [LtiScopes.LineItemReadOnly];
    private static readonly string[] WriteLineItems = [LtiScopes.LineItem];
    private static readonly string[] WriteScores = [LtiScopes.Score];
    private static readonly string[] ReadResults = [LtiScopes.ResultReadOnly];

    public IAsyncEnumerable<LineItem> ListLineItemsAsync(LtiPlatform platform, string lineItemsUrl, LineItemQuery? query = null, CancellationToken cancellationToken = default)
    {
        var url = WithQuery(lineItemsUrl, [
            ("resource_link_id", query?.ResourceLinkId),
            ("resource_id", query?.ResourceId),
            ("tag", query?.Tag),
            ("limit", query?.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        return http.PagesAsync(platform, ReadLineItems, url, LtiMediaTypes.LineItemContainer,
            body => JsonSerializer.Deserialize<List<LineItem>>(body, LtiJson.Options) ?? [], cancellationToken);
    }

    public async Task<LineItem> CreateLineItemAsync(LtiPlatform platform, string lineItemsUrl, LineItem lineItem, CancellationToken cancellationToken = default)
    {
        // Not idempotent: a create that failed with a 5xx may still have happened, so it is not retried blindly.
        var request = new ServiceRequest(HttpMethod.Post, lineItemsUrl, LtiMediaTypes.LineItem, Json(lineItem with { Id = null }), LtiMediaTypes.LineItem, IsIdempotent: false);
        return LtiServiceHttp.ReadJson<LineItem>(await http.SendAsync(platform, WriteLineItems, request, cancellationToken), lineItemsUrl);
    }

    public async Task<LineItem> GetLineItemAsync(LtiPlatform platform, string lineItemUrl, CancellationToken cancellationToken = default) =>
        LtiServiceHttp.ReadJson<LineItem>(
            await http.SendAsync(platform, ReadLineItems, ServiceRequest.Get(lineItemUrl, LtiMediaTypes.LineItem), cancellationToken), lineItemUrl);

    public async Task<LineItem> UpdateLineItemAsync(LtiPlatform platform, LineItem lineItem, CancellationToken cancellationToken = default)
    {
        var url = lineItem.Id ?? throw new ArgumentException("A line item to update needs its id (its URL).", nameof(lineItem));
        var request = new ServiceRequest(HttpMethod.Put, url, LtiMediaTypes.LineItem, Json(lineItem), LtiMediaTypes.LineItem);
        return LtiServiceHttp.ReadJson<LineItem>(await http.SendAsync(platform, WriteLineItems, request, cancellationToken), url);
    }

    public async Task DeleteLineItemAsync(LtiPlatform platform, string lineItemUrl, CancellationToken cancellationToken = default) =>
        await http.SendAsync(platform, WriteLineItems, new ServiceRequest(HttpMethod.Delete, lineItemUrl, "*/*"), cancellationToken);

    /// <summary>Publishes a score. Safe to repeat: the platform keeps the score with the latest timestamp.</summary>
    public async Task<ScoreReceipt> PostScoreAsync(LtiPlatform platform, string lineItemUrl, Score score, CancellationToken cancellationToken = default)
    {
        var url = SubResource(lineItemUrl, "scores");
        var request = new ServiceRequest(HttpMethod.Post, url, "application/json", Json(score), LtiMediaTypes.Score, IsIdempotent: true);
        var response = await http.SendAsync(platform, WriteScores, request, cancellationToken);
        // The spec allows an empty 200/204; Canvas answers with the result's URL.
        return string.IsNullOrWhiteSpace(response.Body) ? new ScoreReceipt() : LtiServiceHttp.ReadJson<ScoreReceipt>(response, url);
    }

    public IAsyncEnumerable<LineItemResult> ListResultsAsync(
        LtiPlatform platform, string lineItemUrl, string? userId = null, int? limit = null, CancellationToken cancellationToken = default)
    {
        var url = WithQuery(SubResource(lineItemUrl, "results"), [
            ("user_id", userId),
            ("limit", limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        return http.PagesAsync(platform, ReadResults, url, LtiMediaTypes.ResultContainer,
            body => JsonSerializer.Deserialize<List<LineItemResult>>(body, LtiJson.Options) ?? [], cancellationToken);
    }

    /// <summary>"https://lms/items/7?x=1" + "scores" = "https://lms/items/7/scores?x=1".</summary>
    public static string SubResource(string url, string segment)
    {
        var cut = url.IndexOf('?', StringComparison.Ordinal);
        var path = cut < 0 ? url : url[..cut];
        var query = cut < 0 ? string.Empty : url[cut..];
        return path.TrimEnd('/') + "/" + segment + query;
    }

    internal static string WithQuery(string url, IEnumerable<(string Name, string? Value)> parameters)
    {
        var added = string.Join('&', parameters.Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value!)));
        return added.Length == 0 ? url : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + added;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, LtiJson.Options);
}
