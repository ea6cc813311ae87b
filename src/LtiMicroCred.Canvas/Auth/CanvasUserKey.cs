namespace LtiMicroCred.Canvas.Auth;

/// <summary>
/// Whose token a request uses: a Canvas host (normalized with <see cref="CanvasHost.Normalize(Uri)"/>, e.g.
/// <c>https://district.instructure.com</c> or <c>http://localhost:5000/sandbox</c>) and the product's own identifier
/// of the user, which the library never interprets.
/// </summary>
public sealed record CanvasUserKey(string CanvasBaseUrl, string UserId);
