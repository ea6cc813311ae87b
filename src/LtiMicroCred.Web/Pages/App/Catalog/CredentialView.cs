using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace LtiMicroCred.Web.Pages.App.Catalog;

/// <summary>
/// What _CredentialView shows: a credential as a teacher sees it, either stored (the teacher's page) or unsaved (the
/// editor's preview, which sits under the editor's own headings, has no start form, and prefixes its ids so they do
/// not clash with the form's).
/// </summary>
public sealed record CredentialView(CredentialDetail Detail, string LaunchToken, bool Preview = false)
{
    /// <summary>The level of the credential's title: h1 on its own page, h3 under the preview's heading.</summary>
    public int TitleLevel => Preview ? 3 : 1;

    public string Id(string id) => Preview ? "preview-" + id : id;

    /// <summary>A heading <paramref name="depth"/> levels below the title (the text is encoded).</summary>
    public IHtmlContent Heading(int depth, string text, string? id = null)
    {
        var heading = new TagBuilder("h" + (TitleLevel + depth).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (id is not null)
        {
            heading.Attributes["id"] = Id(id);
        }

        heading.InnerHtml.Append(text);
        return heading;
    }
}
