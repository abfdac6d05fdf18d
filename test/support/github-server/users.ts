/** A GitHub "simple user" as the REST API returns it (the OpenAPI `simple-user` shape), for any module's bodies. */
export function simpleUser(login: string, id: number): Record<string, unknown> {
  const u = `https://api.github.com/users/${login}`;
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: '',
    gravatar_id: null,
    url: u,
    html_url: `https://github.com/${login}`,
    followers_url: u,
    following_url: u,
    gists_url: u,
    starred_url: u,
    subscriptions_url: u,
    organizations_url: u,
    repos_url: u,
    events_url: u,
    received_events_url: u,
    type: 'User',
    site_admin: false,
  };
}
