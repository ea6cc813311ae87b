using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Badges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "KeepPublished",
                table: "LtiToolKeys",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "BadgeIssuerSettings",
                columns: table => new
                {
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BadgeIssuerSettings", x => x.TenantId);
                    table.ForeignKey(
                        name: "FK_BadgeIssuerSettings_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "IssuedBadges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    EarnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SourceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DecisionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OnceKey = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    EvidenceSummary = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Jwt = table.Column<string>(type: "TEXT", nullable: false),
                    Kid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Visibility = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RevokedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RevocationReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_IssuedBadges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_IssuedBadges_AttemptDecisions_DecisionId",
                        column: x => x.DecisionId,
                        principalTable: "AttemptDecisions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_IssuedBadges_People_EarnerId",
                        column: x => x.EarnerId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_IssuedBadges_People_RevokedBy",
                        column: x => x.RevokedBy,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_IssuedBadges_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_IssuedBadges_DecisionId",
                table: "IssuedBadges",
                column: "DecisionId");

            migrationBuilder.CreateIndex(
                name: "IX_IssuedBadges_EarnerId_IssuedAt",
                table: "IssuedBadges",
                columns: new[] { "EarnerId", "IssuedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_IssuedBadges_OnceKey",
                table: "IssuedBadges",
                column: "OnceKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_IssuedBadges_RevokedBy",
                table: "IssuedBadges",
                column: "RevokedBy");

            migrationBuilder.CreateIndex(
                name: "IX_IssuedBadges_TenantId_IssuedAt",
                table: "IssuedBadges",
                columns: new[] { "TenantId", "IssuedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BadgeIssuerSettings");

            migrationBuilder.DropTable(
                name: "IssuedBadges");

            migrationBuilder.DropColumn(
                name: "KeepPublished",
                table: "LtiToolKeys");
        }
    }
}
