using LtiMicroCred.Calibration;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Calibration;

/// <summary>One credential's exercise: score the next reference; once all are scored, the result and where the reviewer differed.</summary>
public sealed class ExerciseModel(CalibrationExercise exercise) : AppPageModel
{
    public ExerciseView View { get; private set; } = null!;

    [BindProperty(Name = "levels")]
    public Dictionary<string, int?> Levels { get; set; } = [];

    public async Task OnGetAsync(Guid credentialId, CancellationToken cancellationToken) => View = await exercise.OpenAsync(Actor, credentialId, cancellationToken);

    public Task<IActionResult> OnPostScoreAsync(Guid credentialId, Guid referenceId, CancellationToken cancellationToken) =>
        SubmitAsync(
            () => exercise.ScoreAsync(Actor, referenceId, Levels, cancellationToken),
            $"/app/calibration/{credentialId}",
            () => OnGetAsync(credentialId, cancellationToken),
            "Your levels are saved.");

    public Task<IActionResult> OnPostRetakeAsync(Guid credentialId, CancellationToken cancellationToken) =>
        SubmitAsync(() => exercise.RetakeAsync(Actor, credentialId, cancellationToken), $"/app/calibration/{credentialId}", () => OnGetAsync(credentialId, cancellationToken),
            "Your scores are cleared. Score the references again.");
}
