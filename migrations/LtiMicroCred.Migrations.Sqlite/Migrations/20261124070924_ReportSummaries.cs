using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReportSummaries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReportSummaryStates",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RefreshedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LatestAwardAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportSummaryStates", x => x.TenantId);
                });

            migrationBuilder.CreateTable(
                name: "SkillHoldingCounts",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SkillId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Scope = table.Column<int>(type: "INTEGER", nullable: false),
                    Teachers = table.Column<int>(type: "INTEGER", nullable: false),
                    Schools = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateTable(
                name: "SkillHoldings",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SkillId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TeacherId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: true),
                    FirstAwardedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                });

            migrationBuilder.CreateIndex(
                name: "IX_SkillHoldingCounts_TenantId_Scope_SkillId",
                table: "SkillHoldingCounts",
                columns: new[] { "TenantId", "Scope", "SkillId" });

            migrationBuilder.CreateIndex(
                name: "IX_SkillHoldings_TenantId_SkillId",
                table: "SkillHoldings",
                columns: new[] { "TenantId", "SkillId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReportSummaryStates");

            migrationBuilder.DropTable(
                name: "SkillHoldingCounts");

            migrationBuilder.DropTable(
                name: "SkillHoldings");
        }
    }
}
