using RestSharp;

namespace LtiMicroCred.Canvas.Http;

/// <summary>
/// One logical request, from which every attempt builds a fresh <see cref="RestRequest"/> (RestSharp requests gather
/// state as they run, so they are not reused across retries).
/// </summary>
/// <param name="Target">Absolute URL without the query that <paramref name="Configure"/> adds.</param>
/// <param name="Idempotent">Safe to repeat after a 5xx or a broken connection; otherwise only rate-limit refusals,
/// which Canvas sends before doing anything, are retried.</param>
/// <param name="AccessToken">Bearer token, sent only when <paramref name="Target"/> is on the Canvas host itself.</param>
internal sealed record CanvasCall(Method Method, Uri Target, Action<RestRequest>? Configure, bool Idempotent, string? AccessToken)
{
    public string MethodName => Method.ToString().ToUpperInvariant();

    public RestRequest CreateRequest()
    {
        var request = new RestRequest(Target.AbsoluteUri, Method);
        Configure?.Invoke(request);
        return request;
    }
}
