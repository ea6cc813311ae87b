using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReviewCore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Attempts_SchoolId",
                table: "Attempts");

            migrationBuilder.AddColumn<double>(
                name: "CalibrationKappaThreshold",
                table: "ProgrammeSettings",
                type: "REAL",
                nullable: false,
                defaultValue: 0.0);

            migrationBuilder.AddColumn<bool>(
                name: "RequireCalibratedReviewers",
                table: "ProgrammeSettings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "ReadyForDecisionAt",
                table: "Attempts",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "ReviewsConflict",
                table: "Attempts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActorId = table.Column<Guid>(type: "TEXT", nullable: true),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    SubjectType = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    SubjectId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AuditEntries_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReviewAssignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AttemptId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AllocatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AllocatedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Scores = table.Column<string>(type: "TEXT", nullable: false),
                    OverallFeedback = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    SavedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RemindedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReplacedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    Revision = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewAssignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewAssignments_Attempts_AttemptId",
                        column: x => x.AttemptId,
                        principalTable: "Attempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReviewAssignments_People_ReviewerId",
                        column: x => x.ReviewerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReviewerCalibrations",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CredentialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExactAgreement = table.Column<double>(type: "REAL", nullable: false),
                    AdjacentAgreement = table.Column<double>(type: "REAL", nullable: false),
                    WeightedKappa = table.Column<double>(type: "REAL", nullable: false),
                    ScoredReferences = table.Column<int>(type: "INTEGER", nullable: false),
                    Calibrated = table.Column<bool>(type: "INTEGER", nullable: false),
                    MeasuredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewerCalibrations", x => new { x.PersonId, x.CredentialId });
                    table.ForeignKey(
                        name: "FK_ReviewerCalibrations_Credentials_CredentialId",
                        column: x => x.CredentialId,
                        principalTable: "Credentials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReviewerCalibrations_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReviewerConflicts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeacherId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    DeclaredBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeclaredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewerConflicts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewerConflicts_People_ReviewerId",
                        column: x => x.ReviewerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReviewerConflicts_People_TeacherId",
                        column: x => x.TeacherId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReviewPolicies",
                columns: table => new
                {
                    CredentialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequiredReviews = table.Column<int>(type: "INTEGER", nullable: false),
                    Anonymous = table.Column<bool>(type: "INTEGER", nullable: false),
                    DueSchoolDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ReminderSchoolDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ReallocateAfterSchoolDays = table.Column<int>(type: "INTEGER", nullable: false),
                    Eligibility = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewPolicies", x => x.CredentialId);
                    table.ForeignKey(
                        name: "FK_ReviewPolicies_Credentials_CredentialId",
                        column: x => x.CredentialId,
                        principalTable: "Credentials",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReviewPolicies_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_SchoolId_Status_ReadyForDecisionAt",
                table: "Attempts",
                columns: new[] { "SchoolId", "Status", "ReadyForDecisionAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_TenantId_At",
                table: "AuditEntries",
                columns: new[] { "TenantId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_TenantId_SubjectType_SubjectId",
                table: "AuditEntries",
                columns: new[] { "TenantId", "SubjectType", "SubjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewAssignments_AttemptId_Status",
                table: "ReviewAssignments",
                columns: new[] { "AttemptId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewAssignments_ReviewerId_Status_DueAt",
                table: "ReviewAssignments",
                columns: new[] { "ReviewerId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewAssignments_TenantId_Status_DueAt",
                table: "ReviewAssignments",
                columns: new[] { "TenantId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewerCalibrations_CredentialId",
                table: "ReviewerCalibrations",
                column: "CredentialId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewerCalibrations_TenantId_CredentialId_Calibrated",
                table: "ReviewerCalibrations",
                columns: new[] { "TenantId", "CredentialId", "Calibrated" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewerConflicts_ReviewerId",
                table: "ReviewerConflicts",
                column: "ReviewerId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewerConflicts_TeacherId",
                table: "ReviewerConflicts",
                column: "TeacherId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewerConflicts_TenantId_ReviewerId_TeacherId",
                table: "ReviewerConflicts",
                columns: new[] { "TenantId", "ReviewerId", "TeacherId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReviewPolicies_TenantId",
                table: "ReviewPolicies",
                column: "TenantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditEntries");

            migrationBuilder.DropTable(
                name: "ReviewAssignments");

            migrationBuilder.DropTable(
                name: "ReviewerCalibrations");

            migrationBuilder.DropTable(
                name: "ReviewerConflicts");

            migrationBuilder.DropTable(
                name: "ReviewPolicies");

            migrationBuilder.DropIndex(
                name: "IX_Attempts_SchoolId_Status_ReadyForDecisionAt",
                table: "Attempts");

            migrationBuilder.DropColumn(
                name: "CalibrationKappaThreshold",
                table: "ProgrammeSettings");

            migrationBuilder.DropColumn(
                name: "RequireCalibratedReviewers",
                table: "ProgrammeSettings");

            migrationBuilder.DropColumn(
                name: "ReadyForDecisionAt",
                table: "Attempts");

            migrationBuilder.DropColumn(
                name: "ReviewsConflict",
                table: "Attempts");

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_SchoolId",
                table: "Attempts",
                column: "SchoolId");
        }
    }
}
