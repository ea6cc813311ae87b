namespace LtiMicroCred.Canvas.Auth;

/// <summary>
/// The client id and secret of the Canvas API developer key a district created for the tool (not the LTI key).
/// <see cref="ToString"/> leaves the secret out so the key can never reach a log by accident.
/// </summary>
public sealed record CanvasDeveloperKey(string ClientId, string ClientSecret)
{
    public override string ToString() => $"CanvasDeveloperKey {{ ClientId = {ClientId} }}";
}
