namespace LtiMicroCred.Canvas;

/// <summary>
/// A file was refused because it is larger than <see cref="CanvasClientOptions.MaxDownloadBytes"/>. Nothing of it is
/// left at a destination path; a seekable destination stream is cut back to where it started.
/// </summary>
public sealed class CanvasFileTooLargeException(string method, string path, long limitBytes, long? declaredBytes)
    : CanvasException(method, path, declaredBytes is { } size
        ? $"The file at {path} is {size} bytes, over the {limitBytes}-byte limit."
        : $"The file at {path} grew past the {limitBytes}-byte limit while downloading.")
{
    public long LimitBytes { get; } = limitBytes;

    /// <summary>The size Canvas declared (file metadata or Content-Length), when it declared one.</summary>
    public long? DeclaredBytes { get; } = declaredBytes;
}
