using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class EvidenceKeyAndBudgetRevision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "Revision",
                table: "IncentiveBudgets",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateIndex(
                name: "IX_EvidenceItems_AttemptId_SourceAssignmentId_SourceItemKey",
                table: "EvidenceItems",
                columns: new[] { "AttemptId", "SourceAssignmentId", "SourceItemKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_EvidenceItems_AttemptId_SourceAssignmentId_SourceItemKey",
                table: "EvidenceItems");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "IncentiveBudgets");
        }
    }
}
