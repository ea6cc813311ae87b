using LtiMicroCred.Evidence;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Web.Hosting;

public static class FileStoreExtensions
{
    /// <summary>Evidence files on local disk (FileStore:Root, relative to the content root), and the upload cap for requests.</summary>
    public static void AddFileStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IFileStore>(sp =>
        {
            var root = sp.GetRequiredService<IOptions<FileStoreOptions>>().Value.Root;
            return new LocalFileStore(Path.GetFullPath(root, builder.Environment.ContentRootPath));
        });
        var cap = builder.Configuration.GetValue<long?>($"{EvidenceOptions.Section}:{nameof(EvidenceOptions.MaxUploadBytes)}") ?? new EvidenceOptions().MaxUploadBytes;
        // The form reader refuses bodies past the cap (plus room for the other fields) before the use case sees them.
        builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(o => o.MultipartBodyLengthLimit = cap + 64 * 1024);
    }
}
