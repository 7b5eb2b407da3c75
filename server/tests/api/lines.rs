use crate::helpers::spawn_app;

#[tokio::test]
async fn the_demo_has_three_lines_whose_unread_counts_match_their_unread_views() {
    let app = spawn_app().await;
    let lines = app.lines().await.lines;
    let names: Vec<&str> = lines.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Main", "Support", "Sales"]);
    for line in &lines {
        let unread = app
            .all_of_view(&format!("view=unread&line={}", line.id))
            .await;
        assert_eq!(
            line.unread_count as usize,
            unread.len(),
            "line {}",
            line.name
        );
        assert!(line.unread_count > 0);
        assert!(line.number.starts_with("+1555"));
    }
}
