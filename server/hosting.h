/*
 * hosting.h - the pages of a server that hosts many surveys
 * (`draagvlak serve --data DIR`, store/host.h): choosing the survey to
 * work on, and the host's administration.
 *
 * A volunteer or board member belongs to one organisation and sees only
 * its surveys.  Their session remembers the survey they chose; the
 * router (routes.h) gives every staff page that survey, and only when
 * it is still of the session's organisation.  The host's administrators
 * (accounts of no organisation) see no survey at all: they make
 * organisations and invite each one's first board member.
 */
#ifndef DRAAGVLAK_SERVER_HOSTING_H
#define DRAAGVLAK_SERVER_HOSTING_H

#include <stdbool.h>

#include "http.h"
#include "session.h"

/* Whether s is one of the host's administrators (false serving one store). */
bool server_hosting_is_admin(const struct server_request *req,
			     const struct server_session *s);
/*
 * The survey s works on when it is of s's organisation, or NULL (none
 * chosen, gone, or another organisation's).
 */
struct server_survey *server_hosting_survey(struct server_request *req,
					    const struct server_session *s);

/*
 * For a session that has chosen none: the one survey of its
 * organisation, remembered in the session as if chosen at /werkruimte
 * (a volunteer of a platform with one survey goes straight to her
 * work).  NULL when the organisation has none or several, for the host's
 * administrators, and when the session could not be updated.
 */
struct server_survey *server_hosting_sole_survey(struct server_request *req,
						 struct server_session *s);

/*
 * The survey a public page (/privacy, /uitslag) is about: serving one
 * store, that one at the page's own path; on a host, the one whose slug
 * follows it (/privacy/SLUG), as the footer of its pages links it.
 * NULL when there is none such: the caller says so (404).
 */
struct server_survey *server_hosting_public(struct server_request *req);

/* /werkruimte: the organisation's surveys; a POST chooses one. */
enum server_outcome server_hosting_choose(struct server_request *req,
					  struct server_reply *rep);
/* /beheer: organisations and their surveys; a POST adds one. */
enum server_outcome server_hosting_admin(struct server_request *req,
					 struct server_reply *rep);

#endif
