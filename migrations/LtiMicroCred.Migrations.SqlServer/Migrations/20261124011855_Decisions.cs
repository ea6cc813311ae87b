using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LtiMicroCred.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class Decisions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AttemptDecisions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AttemptId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    CredentialVersionId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Outcome = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Results = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    OverallFeedback = table.Column<string>(type: "nvarchar(max)", maxLength: 8000, nullable: true),
                    DecidedBy = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    DecidedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Incentive = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    PostedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AttemptDecisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AttemptDecisions_Attempts_AttemptId",
                        column: x => x.AttemptId,
                        principalTable: "Attempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AttemptDecisions_CredentialVersions_CredentialVersionId",
                        column: x => x.CredentialVersionId,
                        principalTable: "CredentialVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AttemptDecisions_People_DecidedBy",
                        column: x => x.DecidedBy,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_AttemptDecisions_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ExtensionRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AttemptId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    TeacherId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: false),
                    WantedDueAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    AnsweredBy = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    AnsweredAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Comment = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExtensionRequests", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ExtensionRequests_Attempts_AttemptId",
                        column: x => x.AttemptId,
                        principalTable: "Attempts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ExtensionRequests_People_TeacherId",
                        column: x => x.TeacherId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PathwayReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    PathwayId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TeacherId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    RequestedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Revision = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PathwayReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PathwayReviews_Pathways_PathwayId",
                        column: x => x.PathwayId,
                        principalTable: "Pathways",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PathwayReviews_People_TeacherId",
                        column: x => x.TeacherId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PathwayReviews_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PathwayReviewVotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    TenantId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    ReviewId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    AdministratorId = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    Outcome = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    Feedback = table.Column<string>(type: "nvarchar(4000)", maxLength: 4000, nullable: true),
                    At = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PathwayReviewVotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PathwayReviewVotes_PathwayReviews_ReviewId",
                        column: x => x.ReviewId,
                        principalTable: "PathwayReviews",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PathwayReviewVotes_People_AdministratorId",
                        column: x => x.AdministratorId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_TenantId_Status_ReadyForDecisionAt",
                table: "Attempts",
                columns: new[] { "TenantId", "Status", "ReadyForDecisionAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_TenantId_Status_UpdatedAt",
                table: "Attempts",
                columns: new[] { "TenantId", "Status", "UpdatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AttemptDecisions_AttemptId",
                table: "AttemptDecisions",
                column: "AttemptId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AttemptDecisions_CredentialVersionId",
                table: "AttemptDecisions",
                column: "CredentialVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_AttemptDecisions_DecidedBy",
                table: "AttemptDecisions",
                column: "DecidedBy");

            migrationBuilder.CreateIndex(
                name: "IX_AttemptDecisions_TenantId_PostedAt",
                table: "AttemptDecisions",
                columns: new[] { "TenantId", "PostedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ExtensionRequests_AttemptId_Status",
                table: "ExtensionRequests",
                columns: new[] { "AttemptId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ExtensionRequests_SchoolId_Status_RequestedAt",
                table: "ExtensionRequests",
                columns: new[] { "SchoolId", "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ExtensionRequests_TeacherId",
                table: "ExtensionRequests",
                column: "TeacherId");

            migrationBuilder.CreateIndex(
                name: "IX_ExtensionRequests_TenantId_Status_RequestedAt",
                table: "ExtensionRequests",
                columns: new[] { "TenantId", "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PathwayReviews_PathwayId",
                table: "PathwayReviews",
                column: "PathwayId");

            migrationBuilder.CreateIndex(
                name: "IX_PathwayReviews_TeacherId_PathwayId",
                table: "PathwayReviews",
                columns: new[] { "TeacherId", "PathwayId" });

            migrationBuilder.CreateIndex(
                name: "IX_PathwayReviews_TenantId_Status_RequestedAt",
                table: "PathwayReviews",
                columns: new[] { "TenantId", "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PathwayReviewVotes_AdministratorId",
                table: "PathwayReviewVotes",
                column: "AdministratorId");

            migrationBuilder.CreateIndex(
                name: "IX_PathwayReviewVotes_ReviewId_AdministratorId",
                table: "PathwayReviewVotes",
                columns: new[] { "ReviewId", "AdministratorId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AttemptDecisions");

            migrationBuilder.DropTable(
                name: "ExtensionRequests");

            migrationBuilder.DropTable(
                name: "PathwayReviewVotes");

            migrationBuilder.DropTable(
                name: "PathwayReviews");

            migrationBuilder.DropIndex(
                name: "IX_Attempts_TenantId_Status_ReadyForDecisionAt",
                table: "Attempts");

            migrationBuilder.DropIndex(
                name: "IX_Attempts_TenantId_Status_UpdatedAt",
                table: "Attempts");
        }
    }
}
