using System.Globalization;
using LtiMicroCred.Access;
using LtiMicroCred.Ledger;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Ledger;

/// <summary>Correcting one ledger entry: a reason, and the right amount if anything is still due.</summary>
public sealed class CorrectModel(LedgerQueries queries, CorrectLedgerEntry correct) : AppPageModel
{
    public LedgerRow Entry { get; private set; } = null!;

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => Entry = await queries.EntryAsync(Actor, id, cancellationToken);

    public Task<IActionResult> OnPostAsync(Guid id, string? reason, string? amount, CancellationToken cancellationToken) =>
        SubmitAsync(() => correct.HandleAsync(Actor, id, reason, ParseAmount(amount), cancellationToken), "/app/district/ledger",
            async () => Entry = await queries.EntryAsync(Actor, id, HttpContext.RequestAborted), "The correction is recorded in the ledger.");

    private static decimal? ParseAmount(string? amount) =>
        string.IsNullOrWhiteSpace(amount) ? null
        : decimal.TryParse(amount.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value
        : throw InvalidInputException.For("amount", "Enter the corrected amount as a number, such as 3.5, or leave it empty to only reverse the entry.");
}
