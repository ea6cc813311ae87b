namespace LtiMicroCred.Canvas.Files;

/// <summary>
/// What a finished download wrote: its length and SHA-256, computed from the bytes as they streamed past, so the
/// product can de-duplicate identical files across submissions without reading them again.
/// </summary>
public sealed record CanvasDownload(long Length, string Sha256Hex, string? ContentType);
