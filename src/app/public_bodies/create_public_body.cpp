// Use case: a site admin registers a public body.
#include "../common/util.h"
#include "communitise/app/public_bodies.h"
#include "permissions.h"

namespace communitise::app {

namespace {
constexpr std::string_view kInsert =
    "INSERT INTO public_bodies (slug, name, kind, created_at) VALUES (:s, :n, :k, :t) RETURNING id";
constexpr std::string_view kSlugTaken = "SELECT id FROM public_bodies WHERE slug = :s";
}  // namespace

Result<PublicBody> PublicBodies::Create(const Actor* actor, const CreatePublicBodyForm& form) {
  std::vector<FieldError> errors;
  internal::CheckLength(errors, "name", "the name of the public body", form.name, 1, 200);
  PublicBody body;
  body.name = internal::Trim(form.name);
  body.slug = form.slug.empty() ? internal::Slugify(body.name) : internal::Trim(form.slug);
  if (!internal::ValidSlug(body.slug)) {
    errors.push_back({"slug", "Web address name must be 2 to 60 lower-case letters, digits or hyphens"});
  }
  body.kind = form.kind.empty() ? "council" : form.kind;
  if (body.kind != "council" && body.kind != "nhs" && body.kind != "foundation" &&
      body.kind != "other") {
    errors.push_back({"kind", "Select the kind of public body"});
  }
  RETURN_IF_ERROR(internal::FieldErrors(std::move(errors)));
  if (!public_bodies_permissions::CanCreatePublicBody(actor)) return Error::Forbidden();

  body.created_at = clock_.NowSeconds();
  RETURN_IF_ERROR(db_.Transact([&](storage::Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto taken, tx.QueryOne(kSlugTaken, {body.slug}));
    if (taken) {
      Error e = Error::Field("slug", "A public body with this web address name already exists");
      e.code = ErrorCode::kConflict;
      return e;
    }
    ASSIGN_OR_RETURN(body.id, tx.Insert(kInsert, {body.slug, body.name, body.kind, body.created_at}));
    return internal::Audit(tx, body.created_at, actor, std::nullopt, "public_body.create",
                           "public_body:" + std::to_string(body.id),
                           {{"name", body.name}, {"slug", body.slug}, {"kind", body.kind}});
  }));
  return body;
}

}  // namespace communitise::app
