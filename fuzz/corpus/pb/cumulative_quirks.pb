META
key;value
budget;1000,50
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost;name
1;500,25;"Park ""Zielony"""
2;300;"A;B"
VOTES
voter_id;vote;points;age
10;1,2;3,2;None
11;2;5;40
