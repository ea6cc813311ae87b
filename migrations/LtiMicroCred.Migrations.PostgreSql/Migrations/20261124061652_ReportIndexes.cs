using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ReviewAssignments_TenantId_SubmittedAt",
                table: "ReviewAssignments",
                columns: new[] { "TenantId", "SubmittedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_TenantId_CreatedAt",
                table: "Attempts",
                columns: new[] { "TenantId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_TenantId_CredentialId_Status",
                table: "Attempts",
                columns: new[] { "TenantId", "CredentialId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_AttemptDecisions_TenantId_DecidedAt",
                table: "AttemptDecisions",
                columns: new[] { "TenantId", "DecidedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReviewAssignments_TenantId_SubmittedAt",
                table: "ReviewAssignments");

            migrationBuilder.DropIndex(
                name: "IX_Attempts_TenantId_CreatedAt",
                table: "Attempts");

            migrationBuilder.DropIndex(
                name: "IX_Attempts_TenantId_CredentialId_Status",
                table: "Attempts");

            migrationBuilder.DropIndex(
                name: "IX_AttemptDecisions_TenantId_DecidedAt",
                table: "AttemptDecisions");
        }
    }
}
