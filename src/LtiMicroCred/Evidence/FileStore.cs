using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Evidence;

/// <summary>Where evidence files are kept. Local disk by default; blob storage can implement the same.</summary>
public interface IFileStore
{
    /// <summary>Stores the content under a key derived from tenant and hash, writing nothing if it is there already.</summary>
    Task<string> PutAsync(Guid tenantId, string sha256, Stream content, CancellationToken cancellationToken);

    Task<Stream> OpenAsync(string storageKey, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(string storageKey, CancellationToken cancellationToken);

    /// <summary>Removes a stored file (nothing if it is gone already). The caller makes sure nothing else names it.</summary>
    Task DeleteAsync(string storageKey, CancellationToken cancellationToken);
}

public sealed class FileStoreOptions
{
    public const string Section = "FileStore";

    /// <summary>The folder evidence files are kept in; relative paths are under the content root.</summary>
    public string Root { get; set; } = "App_Data/files";
}

/// <summary>
/// Files on local disk at Root/tenant/ab/abcdef... A write goes to a temporary file first and is moved into place,
/// so a crash never leaves half a file under a real key.
/// </summary>
public sealed class LocalFileStore(string root) : IFileStore
{
    public async Task<string> PutAsync(Guid tenantId, string sha256, Stream content, CancellationToken cancellationToken)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("A SHA-256 in hex is expected.", nameof(sha256));
        }

        var key = $"{tenantId:N}/{sha256[..2]}/{sha256}";
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return key;
        }

        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".part";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return key;
    }

    public Task<Stream> OpenAsync(string storageKey, CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(PathOf(storageKey), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));

    public Task<bool> ExistsAsync(string storageKey, CancellationToken cancellationToken) => Task.FromResult(File.Exists(PathOf(storageKey)));

    public Task DeleteAsync(string storageKey, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(storageKey));
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var full = Path.GetFullPath(Path.Combine(root, key));
        if (!full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException("The storage key leaves the store.", nameof(key));
        }

        return full;
    }
}

/// <summary>
/// Keeps a file that was spooled to a temporary path: its bytes go to the store once per content and district (an
/// existing copy is reused), and a <see cref="StoredFile"/> row names it. Used by uploads and by LMS pulls alike.
/// </summary>
public sealed class EvidenceFiles(Persistence.AppDbContext db, IFileStore files, TimeProvider time)
{
    public async Task<Guid> KeepAsync(Guid tenantId, string spooledPath, string sha256, long length, string fileName, string? contentType, CancellationToken cancellationToken)
    {
        var existing = await db.StoredFiles.AsNoTracking().FirstOrDefaultAsync(f => f.TenantId == tenantId && f.Sha256 == sha256, cancellationToken);
        string key;
        if (existing is not null && await files.ExistsAsync(existing.StorageKey, cancellationToken))
        {
            key = existing.StorageKey;
        }
        else
        {
            await using var content = File.OpenRead(spooledPath);
            key = await files.PutAsync(tenantId, sha256, content, cancellationToken);
        }

        var name = Path.GetFileName(fileName);
        var stored = new StoredFile
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            FileName = name.Length is > 0 and <= 255 ? name : "attachment",
            ContentType = string.IsNullOrWhiteSpace(contentType) || contentType.Length > 200 ? "application/octet-stream" : contentType,
            Length = length,
            Sha256 = sha256,
            StorageKey = key,
            CreatedAt = time.GetUtcNow(),
        };
        db.StoredFiles.Add(stored);
        return stored.Id;
    }
}
