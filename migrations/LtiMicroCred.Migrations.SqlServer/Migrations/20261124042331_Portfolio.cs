using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Portfolio : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PortfolioExports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RequestedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TeacherId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Scope = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    AttemptId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Done = table.Column<int>(type: "int", nullable: false),
                    Total = table.Column<int>(type: "int", nullable: false),
                    FileKey = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: true),
                    SizeBytes = table.Column<long>(type: "bigint", nullable: true),
                    Sha256 = table.Column<string>(type: "nchar(64)", fixedLength: true, maxLength: 64, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    FinishedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortfolioExports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PortfolioExports_Attempts_AttemptId",
                        column: x => x.AttemptId,
                        principalTable: "Attempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PortfolioExports_People_RequestedBy",
                        column: x => x.RequestedBy,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PortfolioExports_People_TeacherId",
                        column: x => x.TeacherId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PortfolioExports_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PortfolioExports_AttemptId",
                table: "PortfolioExports",
                column: "AttemptId");

            migrationBuilder.CreateIndex(
                name: "IX_PortfolioExports_ExpiresAt",
                table: "PortfolioExports",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_PortfolioExports_RequestedBy",
                table: "PortfolioExports",
                column: "RequestedBy");

            migrationBuilder.CreateIndex(
                name: "IX_PortfolioExports_TeacherId",
                table: "PortfolioExports",
                column: "TeacherId");

            migrationBuilder.CreateIndex(
                name: "IX_PortfolioExports_TenantId_RequestedBy_CreatedAt",
                table: "PortfolioExports",
                columns: new[] { "TenantId", "RequestedBy", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PortfolioExports_TenantId_TeacherId_CreatedAt",
                table: "PortfolioExports",
                columns: new[] { "TenantId", "TeacherId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PortfolioExports");
        }
    }
}
